package io.switchboard.common.domain;

import java.util.UUID;

/** Checks on what people type, in linear time: no regular expression that can backtrack on crafted input. */
public final class Inputs {
    public static final int MAX_EMAIL_LENGTH = 254;

    private Inputs() {
    }

    /** One @, something before it, a dot inside the domain, no white space, at most 254 characters. */
    public static boolean isEmail(String value) {
        if (value == null || value.length() > MAX_EMAIL_LENGTH) {
            return false;
        }
        int at = value.indexOf('@');
        if (at <= 0 || at != value.lastIndexOf('@') || value.chars().anyMatch(Character::isWhitespace)) {
            return false;
        }
        String domain = value.substring(at + 1);
        int dot = domain.lastIndexOf('.');
        return dot > 0 && dot < domain.length() - 1;
    }

    /** The id of a resource named in a path: what is not a UUID names nothing, so 404 ("{what} {id} not found"). */
    public static UUID pathId(String id, String what) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw DomainException.notFound(what, id);
        }
    }

    /** An id given in a field of a request: what is not a UUID is refused (400) with the field and the message. */
    public static UUID fieldId(String value, String field, String message) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw DomainException.invalid(field, message);
        }
    }
}
