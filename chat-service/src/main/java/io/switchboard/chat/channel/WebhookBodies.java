package io.switchboard.chat.channel;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;

import io.switchboard.common.domain.DomainException;
import io.switchboard.contracts.Json;

/** Reading webhook bodies by hand (they are checked against a signature as raw text first): errors name the field. */
public final class WebhookBodies {
    private WebhookBodies() {
    }

    public static JsonNode parse(String body) {
        try {
            JsonNode node = body == null || body.isBlank() ? null : Json.MAPPER.readTree(body);
            if (node == null || !node.isObject()) {
                throw DomainException.invalid("body", "body must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw DomainException.invalid("body", "malformed JSON");
        }
    }

    public static long requiredLong(JsonNode node, String field) {
        return requiredLong(node, field, field);
    }

    /** {@code node.get(key)} as an integer; 400 naming {@code field} (its full path) when missing or not one. */
    public static long requiredLong(JsonNode node, String field, String key) {
        JsonNode value = node.path(key);
        if (!value.canConvertToLong() || !value.isIntegralNumber()) {
            throw DomainException.invalid(field, field + " must be an integer");
        }
        return value.asLong();
    }

    /** {@code node.get(key)} as non-empty text; 400 naming {@code field} when missing. */
    public static String requiredText(JsonNode node, String field, String key) {
        JsonNode value = node.path(key);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw DomainException.invalid(field, field + " must be a non-empty string");
        }
        return value.asText();
    }
}
