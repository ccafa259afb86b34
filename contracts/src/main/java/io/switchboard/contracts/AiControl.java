package io.switchboard.contracts;

import java.util.Optional;

/** The {@code action} of a {@link CommandType#CONTROL_AI_RESPONSE}: what a workflow or an agent does to a conversation's AI. */
public enum AiControl implements WireName {
    /** Handoff: the AI stays silent until an {@link #ENABLE} (a workflow's or an agent's). */
    DISABLE,
    /** Back to the default behaviour: on, without a custom prompt. */
    ENABLE,
    /** A persona for when the AI answers; never switches a disabled AI back on. */
    CUSTOM_PROMPT,
    /** Forgets the conversation's context and recent turns; never switches a disabled AI back on. */
    RESET_CONTEXT;

    public static Optional<AiControl> parse(String wire) {
        return WireName.parse(AiControl.class, wire);
    }
}
