package io.switchboard.common.security;

import java.util.Arrays;
import java.util.Optional;

/** What a verified token says: whom it is for, and from when to when (epoch seconds). */
public record TokenClaims(Scope scope, String subject, String name, java.util.Set<String> roles, long issuedAt, long expiresAt) {
    public enum Scope {
        /** A customer's token: {@code subject} is the one conversation it grants. */
        CONVERSATION("conversation"),
        /** An agent's access token: {@code subject} is the agent id. */
        AGENT("agent");

        private final String wire;

        Scope(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        static Optional<Scope> of(String wire) {
            return Arrays.stream(values()).filter(s -> s.wire.equals(wire)).findFirst();
        }
    }
}
