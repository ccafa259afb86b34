package io.switchboard.contracts;

import java.util.List;

/** The statuses a conversation can have; workflows set them by name. */
public final class ConversationStatus {
    public static final String OPEN = "open";
    public static final List<String> ALL = List.of(OPEN, "pending", "support_active", "resolved", "closed");

    private ConversationStatus() {
    }
}
