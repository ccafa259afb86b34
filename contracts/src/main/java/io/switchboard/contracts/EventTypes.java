package io.switchboard.contracts;

/** Names of chat-service's domain events (the {@code type} of an {@link Envelope} on {@link Topics#CHAT_EVENTS}). */
public final class EventTypes {
    public static final String USER_CREATED = "user_created";
    public static final String CONVERSATION_CREATED = "conversation_created";
    public static final String CONVERSATION_UPDATED = "conversation_updated";
    /** A customer's message: the only event that fires {@code receive_message} triggers. */
    public static final String MESSAGE_RECEIVED = "message_received";
    /** Any stored message, whoever sent it. */
    public static final String MESSAGE_CREATED = "message_created";
    public static final String TAG_ADDED = "tag_added";
    public static final String TAG_REMOVED = "tag_removed";
    /** An agent account was created or changed (on {@link Topics#AGENT_EVENTS}; data: {@link AgentStatus}). */
    public static final String AGENT_UPDATED = "agent_updated";

    private EventTypes() {
    }
}
