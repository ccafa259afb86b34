package io.switchboard.contracts;

import java.util.Optional;

/** chat-service's domain events: the {@code type} of an {@link Envelope} on {@link Topics#CHAT_EVENTS} and {@link Topics#AGENT_EVENTS}. */
public enum EventType implements WireName {
    USER_CREATED,
    CONVERSATION_CREATED,
    CONVERSATION_UPDATED,
    /** A customer's message: the only event that fires {@link TriggerType#RECEIVE_MESSAGE} triggers. */
    MESSAGE_RECEIVED,
    /** Any stored message, whoever sent it. */
    MESSAGE_CREATED,
    TAG_ADDED,
    TAG_REMOVED,
    /** An agent account was created or changed (on {@link Topics#AGENT_EVENTS}; data: {@link AgentStatus}). */
    AGENT_UPDATED;

    public static Optional<EventType> parse(String wire) {
        return WireName.parse(EventType.class, wire);
    }
}
