package io.switchboard.contracts;

import java.util.Optional;

/** Commands: the {@code type} of an {@link Envelope} on {@link Topics#CHAT_COMMANDS} or {@link Topics#AI_COMMANDS}. */
public enum CommandType implements WireName {
    // chat-service
    SEND_MESSAGE(Topics.CHAT_COMMANDS),
    SET_CONVERSATION_STATUS(Topics.CHAT_COMMANDS),
    ADD_TAG(Topics.CHAT_COMMANDS),
    REMOVE_TAG(Topics.CHAT_COMMANDS),
    /** Data: {@code agent_id}, or {@code strategy} {@link AssignmentStrategy#ROUND_ROBIN}. */
    ASSIGN_CONVERSATION(Topics.CHAT_COMMANDS),
    // ai-service
    CONTROL_AI_RESPONSE(Topics.AI_COMMANDS),
    UPDATE_AI_CONTEXT(Topics.AI_COMMANDS),
    /** Sent after every workflow command of one customer message, so control is applied before the AI decides. */
    REPLY_REQUEST(Topics.AI_COMMANDS),
    /**
     * A stored message for the AI's memory of the conversation that ai-service did not see itself: an agent's, a
     * workflow's, a customer's rating (data: {@code message_id}, {@code sender_type}, {@code content}). A customer's
     * question reaches it as a reply request and its answers it writes, so it reads no chat events at all.
     */
    REMEMBER_MESSAGE(Topics.AI_COMMANDS);

    private final String topic;

    CommandType(String topic) {
        this.topic = topic;
    }

    /** The topic the command travels on, and so the service that carries it out. */
    public String topic() {
        return topic;
    }

    public static Optional<CommandType> parse(String wire) {
        return WireName.parse(CommandType.class, wire);
    }
}
