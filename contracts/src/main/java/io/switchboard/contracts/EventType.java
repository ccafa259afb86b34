package io.switchboard.contracts;

import java.util.Optional;

/** Domain events: the {@code type} of an {@link Envelope} on {@link Topics#CHAT_EVENTS}, {@link Topics#AGENT_EVENTS} and {@link Topics#AI_EVENTS}. */
public enum EventType implements WireName {
    USER_CREATED,
    CONVERSATION_CREATED,
    CONVERSATION_UPDATED,
    /**
     * A customer's message was stored (data: the message): the only event that fires {@link TriggerType#RECEIVE_MESSAGE}
     * triggers. It is the message's one event, not a second one beside a {@link #MESSAGE_CREATED}: one record a
     * customer message for the relay, the broker and every consumer.
     */
    MESSAGE_RECEIVED,
    /**
     * Any other stored message (data: the message): an agent's, the AI's, a workflow's, and a customer's answer to the
     * rating question (a rating, not a question for workflows or the model).
     */
    MESSAGE_CREATED,
    /**
     * A stored message changed; data: the message as it is now. A customer edited it on their platform ({@code edited_at}
     * set), the platform told of one of ours (read, a reaction), an agent retried one that failed to go out (with the
     * conversation, as every event), or our message's delivery ended, {@code sent} or {@code failed} (the message alone).
     */
    MESSAGE_UPDATED,
    /**
     * An agent's private note (data: the message, {@code private: true}): for agents only. It is not a message event,
     * so workflows, the model's memory and the customer's channels never see it.
     */
    NOTE_CREATED,
    /**
     * An agent has read the conversation up to a message (data: {@code read.agent_id}, {@code read.up_to}, the
     * created_at of that message): the customer's widget shows "seen".
     */
    CONVERSATION_READ,
    TAG_ADDED,
    TAG_REMOVED,
    /** An agent account was created or changed (on {@link Topics#AGENT_EVENTS}; data: {@link AgentStatus}). */
    AGENT_UPDATED,
    /**
     * A conversation's AI state changed, by a workflow or an agent (on {@link Topics#AI_EVENTS}; data: {@code ai_enabled},
     * {@code disabled_by}, {@code custom_prompt}, {@code context}).
     */
    AI_UPDATED,
    /**
     * Someone is typing in a conversation (on {@link Topics#TYPING} only, between notifier replicas; data:
     * {@code sender_type} customer or agent, {@code sender_name} for an agent). Never stored, never replayed.
     */
    TYPING,
    /**
     * A conversation waited the time an idle trigger names: made by workflow-service's idle clock for the executions
     * it starts, never published.
     */
    CONVERSATION_IDLE;

    public static Optional<EventType> parse(String wire) {
        return WireName.parse(EventType.class, wire);
    }
}
