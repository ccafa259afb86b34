package io.switchboard.contracts;

/** Names of commands (the {@code type} of an {@link Envelope} on the command topics). */
public final class CommandTypes {
    // chat-service commands (topic Topics.CHAT_COMMANDS)
    public static final String SEND_MESSAGE = "send_message";
    public static final String SET_CONVERSATION_STATUS = "set_conversation_status";
    public static final String ADD_TAG = "add_tag";
    public static final String REMOVE_TAG = "remove_tag";
    /** Data: {@code agent_id}, or {@code strategy} {@link #ROUND_ROBIN} (the active agent assigned longest ago). */
    public static final String ASSIGN_CONVERSATION = "assign_conversation";
    public static final String ROUND_ROBIN = "round_robin";

    // ai-service commands (topic Topics.AI_COMMANDS)
    public static final String CONTROL_AI_RESPONSE = "control_ai_response";
    public static final String UPDATE_AI_CONTEXT = "update_ai_context";
    /** Sent after every workflow command of one customer message, so control is applied before the AI decides. */
    public static final String REPLY_REQUEST = "reply_request";

    private CommandTypes() {
    }
}
