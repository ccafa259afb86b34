package io.switchboard.workflow.template;

import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.switchboard.contracts.Json;

/**
 * {@code {{user.first_name}}}, {@code {{user.<attribute>}}}, {@code {{conversation.<field>}}},
 * {@code {{event.data.content}}}, each with an optional {@code | default: "..."}. Rendering only looks values up
 * and pastes them in one pass: a value that itself contains {@code {{...}}} (a customer's text) stays text, and
 * a missing value renders as its default or empty, never as an error.
 */
public final class Templates {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(.*?)}}", Pattern.DOTALL);
    private static final Pattern EXPRESSION = Pattern.compile(
            "\\s*([A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z0-9_\\-]+)*)\\s*(?:\\|\\s*default\\s*:\\s*\"([^\"]*)\"\\s*)?");
    private static final Set<String> ROOTS = Set.of("user", "conversation", "event");

    private Templates() {
    }

    /** What is wrong with a template, or empty when it is well formed. */
    public static Optional<String> problem(String template) {
        if (template == null) {
            return Optional.empty();
        }
        Matcher placeholders = PLACEHOLDER.matcher(template);
        int end = 0;
        StringBuilder outside = new StringBuilder();
        while (placeholders.find()) {
            outside.append(template, end, placeholders.start());
            end = placeholders.end();
            Matcher expression = EXPRESSION.matcher(placeholders.group(1));
            if (!expression.matches()) {
                return Optional.of("malformed template placeholder {{" + placeholders.group(1) + "}}: use {{user.first_name}} or {{name | default: \"x\"}}");
            }
            String root = expression.group(1).split("\\.")[0];
            if (!ROOTS.contains(root)) {
                return Optional.of("unknown template variable " + expression.group(1) + ": it must start with user., conversation. or event.");
            }
        }
        outside.append(template.substring(end));
        if (outside.indexOf("{{") >= 0 || outside.indexOf("}}") >= 0) {
            return Optional.of("malformed template: unbalanced {{ or }}");
        }
        return Optional.empty();
    }

    public static String render(String template, JsonNode context) {
        return render(template, context, false);
    }

    /**
     * Renders a template that becomes instructions for the model ({@code custom_prompt}): what a customer wrote or
     * set ({@code user.*}, {@code event.*}) goes in as a quoted JSON string, with {@code <} and {@code >} escaped, so
     * it reads as data and cannot close a tag or pass for an instruction.
     */
    public static String renderAsInstructions(String template, JsonNode context) {
        return render(template, context, true);
    }

    private static String render(String template, JsonNode context, boolean quoteCustomerValues) {
        if (template == null || template.indexOf("{{") < 0) {
            return template;
        }
        Matcher placeholders = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (placeholders.find()) {
            Matcher expression = EXPRESSION.matcher(placeholders.group(1));
            String value = "";
            if (expression.matches()) {
                JsonNode found = lookup(context, expression.group(1));
                if (found == null || found.isNull() || found.isMissingNode() || (found.isTextual() && found.asText().isEmpty())) {
                    value = expression.group(2) == null ? "" : expression.group(2);
                } else if (quoteCustomerValues && !expression.group(1).startsWith("conversation.")) {
                    value = Json.writeAsData(found.isValueNode() ? found.asText() : Json.write(found));
                } else {
                    value = found.isValueNode() ? found.asText() : Json.write(found);
                }
            }
            placeholders.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        placeholders.appendTail(out);
        return out.toString();
    }

    /** Renders every string inside a JSON value (context data: nested maps and lists). */
    public static JsonNode renderValues(JsonNode value, JsonNode context) {
        if (value == null) {
            return null;
        }
        if (value.isTextual()) {
            return TextNode.valueOf(render(value.asText(), context));
        }
        if (value.isArray()) {
            ArrayNode out = Json.MAPPER.createArrayNode();
            value.forEach(item -> out.add(renderValues(item, context)));
            return out;
        }
        if (value.isObject()) {
            ObjectNode out = Json.object();
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext();) {
                var field = it.next();
                out.set(field.getKey(), renderValues(field.getValue(), context));
            }
            return out;
        }
        return value;
    }

    /** Checks every string inside a JSON value; returns the first problem. */
    public static Optional<String> problemIn(JsonNode value) {
        if (value == null) {
            return Optional.empty();
        }
        if (value.isTextual()) {
            return problem(value.asText());
        }
        for (JsonNode child : value) {
            Optional<String> problem = problemIn(child);
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    private static JsonNode lookup(JsonNode context, String path) {
        JsonNode node = context;
        for (String part : path.split("\\.")) {
            if (node == null) {
                return null;
            }
            node = node.get(part);
        }
        return node;
    }
}
