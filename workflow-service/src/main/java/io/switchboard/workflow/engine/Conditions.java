package io.switchboard.workflow.engine;

import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.workflow.domain.WorkflowSpec;


/** Evaluates a workflow's conditions against an event's contact, conversation and message. */
public final class Conditions {
    private Conditions() {
    }

    public static boolean allHold(List<WorkflowSpec.Condition> conditions, JsonNode eventData) {
        return conditions.stream().allMatch(condition -> holds(condition, resolve(condition.field(), eventData)));
    }

    static JsonNode resolve(String field, JsonNode data) {
        String[] parts = field.split("\\.");
        JsonNode node;
        int from = 1;
        switch (parts[0]) {
            case "contact", "user" -> {
                node = data.path("contact");
                // contact.plan reads the attribute when there is no field of that name
                if (parts.length == 2 && !node.has(parts[1])) {
                    node = node.path("attributes");
                }
            }
            case "conversation" -> node = data.path("conversation");
            default -> node = data.path("message");
        }
        for (int i = from; i < parts.length; i++) {
            node = node.path(parts[i]);
        }
        return node;
    }

    static boolean holds(WorkflowSpec.Condition condition, JsonNode actual) {
        boolean present = !actual.isMissingNode() && !actual.isNull();
        JsonNode expected = condition.value();
        return switch (condition.operator()) {
            case EXISTS -> present && !(actual.isTextual() && actual.asText().isEmpty());
            case EQUALS -> present && equalsValue(actual, expected);
            case NOT_EQUALS -> !present || !equalsValue(actual, expected);
            case CONTAINS -> present && (actual.isArray()
                    ? contains(actual, expected)
                    : actual.asText().toLowerCase(Locale.ROOT).contains(expected.asText().toLowerCase(Locale.ROOT)));
            case STARTS_WITH -> present && actual.asText().toLowerCase(Locale.ROOT).startsWith(expected.asText().toLowerCase(Locale.ROOT));
            case IN -> present && contains(expected, actual);
            case GREATER_THAN -> present && number(actual) != null && number(actual) > expected.asDouble();
            case LESS_THAN -> present && number(actual) != null && number(actual) < expected.asDouble();
        };
    }

    private static boolean equalsValue(JsonNode actual, JsonNode expected) {
        if (actual.isNumber() || expected.isNumber()) {
            Double a = number(actual);
            Double b = number(expected);
            return a != null && a.equals(b);
        }
        return actual.asText().equalsIgnoreCase(expected.asText());
    }

    private static boolean contains(JsonNode list, JsonNode value) {
        for (JsonNode item : list) {
            if (equalsValue(item, value)) {
                return true;
            }
        }
        return false;
    }

    private static Double number(JsonNode node) {
        if (node.isNumber()) {
            return node.asDouble();
        }
        try {
            return Double.parseDouble(node.asText());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
