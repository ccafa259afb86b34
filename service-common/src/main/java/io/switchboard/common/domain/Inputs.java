package io.switchboard.common.domain;

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
}
