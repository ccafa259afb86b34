package io.switchboard.chat.domain;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.switchboard.common.domain.DomainException;
import io.switchboard.common.domain.Inputs;
import io.switchboard.contracts.Json;

/**
 * The bounds of what a customer (or a site's identity token) may say about a contact. Everything here is copied
 * into events, the outbox, workflow runs and sockets, so it is small and flat: each violation is a 400 naming the
 * field, before anything is stored.
 */
public final class ContactRules {
    public static final int MAX_NAME = 200;
    public static final int MAX_PHONE = 32;
    public static final int MAX_ATTRIBUTES = 20;
    public static final int MAX_ATTRIBUTE_KEY = 64;
    public static final int MAX_ATTRIBUTE_TEXT = 256;
    public static final int MAX_ATTRIBUTES_BYTES = 4096;

    private ContactRules() {
    }

    /** Checks a contact's fields; {@code prefix} names where they came from ({@code contact}, {@code identity_token}). */
    public static void check(String prefix, String firstName, String lastName, String email, String phone, Map<String, Object> attributes) {
        length(prefix + ".first_name", firstName, MAX_NAME);
        length(prefix + ".last_name", lastName, MAX_NAME);
        length(prefix + ".phone", phone, MAX_PHONE);
        if (email != null && !Inputs.isEmail(email)) {
            throw DomainException.invalid(prefix + ".email", prefix + ".email is not an email address of at most "
                    + Inputs.MAX_EMAIL_LENGTH + " characters");
        }
        if (attributes == null) {
            return;
        }
        String field = prefix + ".attributes";
        if (attributes.size() > MAX_ATTRIBUTES) {
            throw DomainException.invalid(field, field + " may have at most " + MAX_ATTRIBUTES + " keys");
        }
        for (var entry : attributes.entrySet()) {
            String key = entry.getKey();
            if (!isKey(key)) {
                throw DomainException.invalid(field, field + " keys are 1 to " + MAX_ATTRIBUTE_KEY + " characters of A-Z, a-z, 0-9 and _");
            }
            Object value = entry.getValue();
            String at = field + "." + key;
            if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
                throw DomainException.invalid(at, at + " must be a string, a number or a boolean");
            }
            if (value instanceof String text && text.length() > MAX_ATTRIBUTE_TEXT) {
                throw DomainException.invalid(at, at + " is longer than " + MAX_ATTRIBUTE_TEXT + " characters");
            }
        }
        if (Json.write(attributes).getBytes(StandardCharsets.UTF_8).length > MAX_ATTRIBUTES_BYTES) {
            throw DomainException.invalid(field, field + " is larger than " + MAX_ATTRIBUTES_BYTES + " bytes");
        }
    }

    private static boolean isKey(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_ATTRIBUTE_KEY) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private static void length(String field, String value, int max) {
        if (value != null && value.length() > max) {
            throw DomainException.invalid(field, field + " is longer than " + max + " characters");
        }
    }
}
