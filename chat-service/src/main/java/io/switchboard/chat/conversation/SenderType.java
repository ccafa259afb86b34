package io.switchboard.chat.conversation;

import java.util.Locale;
import java.util.Optional;

/** Who wrote a message. Only customer messages fire {@code message_received}, so no automation answers itself. */
public enum SenderType {
    CUSTOMER, AGENT, AI, WORKFLOW;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<SenderType> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (SenderType type : values()) {
            if (type.wire().equalsIgnoreCase(value)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
