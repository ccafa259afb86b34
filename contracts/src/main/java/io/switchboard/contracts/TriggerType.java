package io.switchboard.contracts;

import java.util.Optional;

/** What starts a workflow ({@code trigger.when_type}), and the chat event that fires it. */
public enum TriggerType implements WireName {
    /** A customer's message containing one of the keywords (none: every customer message). */
    RECEIVE_MESSAGE(EventType.MESSAGE_RECEIVED),
    CONVERSATION_CREATED(EventType.CONVERSATION_CREATED),
    USER_CREATED(EventType.USER_CREATED),
    /** A tag was added; {@code trigger.tag} narrows it to one tag. */
    TAG_ADDED(EventType.TAG_ADDED),
    TAG_REMOVED(EventType.TAG_REMOVED),
    /** The conversation has waited {@code minutes} on the agent or the customer; fires once per wait. */
    CONVERSATION_IDLE(EventType.CONVERSATION_IDLE);

    private final EventType event;

    TriggerType(EventType event) {
        this.event = event;
    }

    public EventType event() {
        return event;
    }

    /** The trigger an event fires, if it fires any. */
    public static Optional<TriggerType> firedBy(EventType event) {
        for (TriggerType trigger : values()) {
            if (trigger.event == event) {
                return Optional.of(trigger);
            }
        }
        return Optional.empty();
    }

    public static Optional<TriggerType> parse(String wire) {
        return WireName.parse(TriggerType.class, wire);
    }
}
