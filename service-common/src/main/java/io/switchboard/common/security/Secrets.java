package io.switchboard.common.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Secret comparison in time that does not depend on where the secrets differ. */
public final class Secrets {
    private Secrets() {
    }

    public static boolean same(String expected, String given) {
        return expected != null && given != null
                && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
