package io.switchboard.contracts;

/**
 * Kafka topic names. Every record on the conversation topics is keyed by conversation id, so that all records of
 * one conversation land on one partition and keep their order.
 */
public final class Topics {
    /** Domain events of chat-service (conversation, contact, message, tag changes). */
    public static final String CHAT_EVENTS = "switchboard.chat-events";
    /** Commands for chat-service: send a message, set a status, add or remove a tag. */
    public static final String CHAT_COMMANDS = "switchboard.chat-commands";
    /** Commands for ai-service: AI control, context updates and reply requests, in order per conversation. */
    public static final String AI_COMMANDS = "switchboard.ai-commands";
    /**
     * Agent account changes that every replica of every service must know at once (deactivations revoke tokens),
     * keyed by agent id; read whole from the start by each replica, so it must keep records at least as long as an
     * access token lives (compacted in Kubernetes).
     */
    public static final String AGENT_EVENTS = "switchboard.agent-events";
    /** ai-service's state changes per conversation ({@code ai_updated}), keyed by conversation id, for the sockets. */
    public static final String AI_EVENTS = "switchboard.ai-events";
    /**
     * Typing signals ({@code typing}), keyed by conversation id, between notifier replicas: a customer's widget and the
     * agent's inbox may be held by different replicas. Never stored elsewhere; kept a minute.
     */
    public static final String TYPING = "switchboard.typing";
    /** Suffix of the dead-letter topic of each topic: poison records go there and the partition moves on. */
    public static final String DEAD_LETTER_SUFFIX = ".dlq";

    private Topics() {
    }
}
