package io.switchboard.contracts;

import java.util.List;

/** The statuses a conversation can have; workflows set them by name. */
public final class ConversationStatus {
    public static final String OPEN = "open";
    public static final String SUPPORT_ACTIVE = "support_active";
    /** Resolved: the customer is asked for a rating (once per conversation). */
    public static final String RESOLVED = "resolved";
    /** A closed conversation is over: the customer's next message on an external channel starts a new one. */
    public static final String CLOSED = "closed";
    public static final List<String> ALL = List.of(OPEN, "pending", SUPPORT_ACTIVE, RESOLVED, CLOSED);

    private ConversationStatus() {
    }
}
