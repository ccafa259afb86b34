package io.switchboard.contracts;

import java.util.Locale;
import java.util.Optional;

/** The kind of a message a workflow sends ({@code message_type}); written as the seed writes it. */
public enum MessageType implements WireName {
    MARKETING, SUPPORT, AI;

    @Override
    public String wire() {
        return this == AI ? "AI" : WireName.super.wire();
    }

    /** Case-insensitive, as documents write {@code "ai"} and {@code "AI"} alike. */
    public static Optional<MessageType> parse(String wire) {
        return wire == null ? Optional.empty() : WireName.parse(MessageType.class, wire.toLowerCase(Locale.ROOT).equals("ai") ? "AI" : wire.toLowerCase(Locale.ROOT));
    }
}
