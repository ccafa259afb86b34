package io.switchboard.common.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** The agent bearer token check, and secret comparison, in constant time. */
public final class AgentAuth {
    private AgentAuth() {
    }

    /** The token of an {@code Authorization: Bearer ...} header; 401 when there is none. */
    public static String bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7) || authorization.length() <= 7) {
            throw ApiException.unauthorized("missing bearer token (Authorization: Bearer ...)");
        }
        return authorization.substring(7).strip();
    }

    public static boolean isAgentToken(String expected, String token) {
        return sameSecret(expected, token);
    }

    /** Compares secrets in time that does not depend on where they differ. */
    public static boolean sameSecret(String expected, String given) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    /** 401 without a token, 403 with a token that is not the agent token. */
    public static void requireAgent(String expected, String authorization) {
        if (!isAgentToken(expected, bearer(authorization))) {
            throw ApiException.forbidden("agents only");
        }
    }
}
