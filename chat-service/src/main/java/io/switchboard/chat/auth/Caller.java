package io.switchboard.chat.auth;

import java.util.UUID;

/** Who is calling: an agent (any conversation) or a customer (their one conversation). */
public record Caller(Kind kind, UUID conversationId) {
    public enum Kind {
        AGENT, CUSTOMER
    }

    public boolean isAgent() {
        return kind == Kind.AGENT;
    }
}
