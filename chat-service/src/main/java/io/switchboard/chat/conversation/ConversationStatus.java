package io.switchboard.chat.conversation;

import java.util.List;

/** The statuses a conversation can have. */
public final class ConversationStatus {
    public static final String OPEN = "open";
    public static final List<String> ALL = List.of(OPEN, "pending", "support_active", "resolved", "closed");

    private ConversationStatus() {
    }
}
