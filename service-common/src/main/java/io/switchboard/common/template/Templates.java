package io.switchboard.common.template;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
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
 * {@code {{event.data.content}}}, each followed by filters applied in order: {@code | default: "there"} (when the
 * value is missing or empty), {@code | upcase}, {@code | downcase}, {@code | truncate: 40} (at most 40 characters, the
 * last one an ellipsis when cut). A template is checked when a workflow is saved, and a problem names the position
 * in the template. Rendering only looks values up and pastes them in one pass: a value that itself contains
 * {@code {{...}}} (a customer's text) stays text, and a missing value renders as its default or empty, never as an error.
 */
public final class Templates {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(.*?)}}", Pattern.DOTALL);
    private static final Set<String> ROOTS = Set.of("user", "conversation", "event");
    /** The filters, for the vocabulary: name and the argument it takes (none, text or a number). */
    public static final Map<String, String> FILTERS = Map.of("default", "text", "upcase", "none", "downcase", "none",
            "truncate", "number");

    private Templates() {
    }

    /** A template problem and the character (1-based) of the template where it is. */
    public record Problem(int position, String message) {
        @Override
        public String toString() {
            return message + " (at character " + position + ")";
        }
    }

    private record Filter(String name, String text, int number) {
    }

    private record Expression(String path, List<Filter> filters) {
    }

    /** What is wrong with a template, or empty when it is well formed. */
    public static Optional<String> problem(String template) {
        return check(template).map(Problem::toString);
    }

    public static Optional<Problem> check(String template) {
        if (template == null) {
            return Optional.empty();
        }
        Matcher placeholders = PLACEHOLDER.matcher(template);
        int end = 0;
        while (placeholders.find()) {
            Optional<Problem> unbalanced = unbalanced(template, end, placeholders.start());
            if (unbalanced.isPresent()) {
                return unbalanced;
            }
            end = placeholders.end();
            try {
                parse(placeholders.group(1), placeholders.start(1));
            } catch (TemplateException e) {
                return Optional.of(e.problem);
            }
        }
        return unbalanced(template, end, template.length());
    }

    private static Optional<Problem> unbalanced(String template, int from, int to) {
        String outside = template.substring(from, to);
        int at = Math.max(outside.indexOf("{{"), outside.indexOf("}}"));
        return at < 0 ? Optional.empty() : Optional.of(new Problem(from + at + 1, "unbalanced {{ or }}"));
    }

    private static final class TemplateException extends RuntimeException {
        final Problem problem;

        TemplateException(int position, String message) {
            super(message, null, false, false);
            this.problem = new Problem(position + 1, message);
        }
    }

    /** Parses the inside of one placeholder; {@code offset} is where it starts in the template, for messages. */
    private static Expression parse(String inside, int offset) {
        var reader = new Reader(inside, offset);
        reader.spaces();
        int start = reader.at;
        String path = reader.path();
        String root = path.split("\\.")[0];
        if (!ROOTS.contains(root)) {
            throw reader.errorAt(start, "unknown template variable " + path + ": it must start with user., conversation. or event.");
        }
        List<Filter> filters = new ArrayList<>();
        while (reader.spaces().more()) {
            reader.expect('|');
            reader.spaces();
            int at = reader.at;
            String name = reader.word();
            String kind = FILTERS.get(name);
            if (kind == null) {
                throw reader.errorAt(at, "unknown filter " + name + ": use " + FILTERS.keySet().stream().sorted().toList());
            }
            reader.spaces();
            if (kind.equals("none")) {
                filters.add(new Filter(name, null, 0));
                continue;
            }
            reader.expect(':');
            reader.spaces();
            filters.add(kind.equals("text") ? new Filter(name, reader.quoted(), 0) : new Filter(name, null, reader.number()));
        }
        return new Expression(path, filters);
    }

    /** A cursor over one placeholder's text. */
    private static final class Reader {
        private final String text;
        private final int offset;
        private int at;

        Reader(String text, int offset) {
            this.text = text;
            this.offset = offset;
        }

        boolean more() {
            return at < text.length();
        }

        Reader spaces() {
            while (more() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
            return this;
        }

        String path() {
            int start = at;
            while (more() && (Character.isLetterOrDigit(text.charAt(at)) || "_.-".indexOf(text.charAt(at)) >= 0)) {
                at++;
            }
            String path = text.substring(start, at);
            if (path.isEmpty() || !Character.isLetter(path.charAt(0)) || path.endsWith(".") || path.contains("..")) {
                throw errorAt(start, "expected a variable such as user.first_name");
            }
            return path;
        }

        String word() {
            int start = at;
            while (more() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_')) {
                at++;
            }
            if (start == at) {
                throw errorAt(start, "expected a filter name after |");
            }
            return text.substring(start, at);
        }

        void expect(char c) {
            if (!more() || text.charAt(at) != c) {
                throw error("expected " + c);
            }
            at++;
        }

        String quoted() {
            expect('"');
            int close = text.indexOf('"', at);
            if (close < 0) {
                throw errorAt(at - 1, "unclosed \"");
            }
            String value = text.substring(at, close);
            at = close + 1;
            return value;
        }

        int number() {
            int start = at;
            while (more() && Character.isDigit(text.charAt(at))) {
                at++;
            }
            if (start == at || at - start > 5 || Integer.parseInt(text.substring(start, at)) < 1) {
                throw errorAt(start, "expected a number from 1 to 99999");
            }
            return Integer.parseInt(text.substring(start, at));
        }

        TemplateException error(String message) {
            return errorAt(at, message);
        }

        TemplateException errorAt(int position, String message) {
            return new TemplateException(offset + position, message);
        }
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
            String value = "";
            try {
                Expression expression = parse(placeholders.group(1), placeholders.start(1));
                JsonNode found = lookup(context, expression.path());
                boolean missing = found == null || found.isNull() || found.isMissingNode();
                String text = missing ? null : found.isValueNode() ? found.asText() : Json.write(found);
                // a default stands for a missing or empty value: the author's text, never quoted as the customer's
                boolean customerText = text != null && !text.isEmpty() && !expression.path().startsWith("conversation.");
                text = applyFilters(text, expression.filters());
                value = text == null ? "" : quoteCustomerValues && customerText ? Json.writeAsData(text) : text;
            } catch (TemplateException e) {
                // checked at save time; a stored template that no longer parses renders as nothing
            }
            placeholders.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        placeholders.appendTail(out);
        return out.toString();
    }

    private static String applyFilters(String value, List<Filter> filters) {
        for (Filter filter : filters) {
            value = switch (filter.name()) {
                case "default" -> value == null || value.isEmpty() ? filter.text() : value;
                case "upcase" -> value == null ? null : value.toUpperCase(Locale.ROOT);
                case "downcase" -> value == null ? null : value.toLowerCase(Locale.ROOT);
                case "truncate" -> value == null || value.codePointCount(0, value.length()) <= filter.number() ? value
                        : value.substring(0, value.offsetByCodePoints(0, filter.number() - 1)) + "\u2026";
                default -> value;
            };
        }
        return value;
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
