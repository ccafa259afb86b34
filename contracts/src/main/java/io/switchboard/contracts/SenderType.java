package io.switchboard.contracts;

import java.util.Locale;
import java.util.Optional;

/** Who wrote a message ({@code sender_type} of messages, events and {@link CommandType#SEND_MESSAGE}). */
public enum SenderType implements WireName {
    CUSTOMER, AGENT, AI, WORKFLOW;

    /** Case-insensitive. */
    public static Optional<SenderType> parse(String wire) {
        return WireName.parse(SenderType.class, wire == null ? null : wire.toLowerCase(Locale.ROOT));
    }
}
