package io.switchboard.contracts;

import java.util.Optional;

/** The {@code action_type} of a workflow action, and the command that carries it out. */
public enum ActionType implements WireName {
    CONTROL_AI_RESPONSE(CommandType.CONTROL_AI_RESPONSE),
    UPDATE_AI_CONTEXT(CommandType.UPDATE_AI_CONTEXT),
    SEND_MESSAGE(CommandType.SEND_MESSAGE),
    SET_CONVERSATION_STATUS(CommandType.SET_CONVERSATION_STATUS),
    ADD_TAG(CommandType.ADD_TAG),
    REMOVE_TAG(CommandType.REMOVE_TAG),
    ASSIGN_CONVERSATION(CommandType.ASSIGN_CONVERSATION),
    /** Pauses the workflow: the actions after it run later (no command of its own). */
    WAIT(null);

    private final CommandType command;

    ActionType(CommandType command) {
        this.command = command;
    }

    /** The command that carries the action out; null for {@link #WAIT}. */
    public CommandType command() {
        return command;
    }

    public static Optional<ActionType> parse(String wire) {
        return WireName.parse(ActionType.class, wire);
    }
}
