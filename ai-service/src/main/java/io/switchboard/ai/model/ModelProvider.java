package io.switchboard.ai.model;

/** A model that answers a prompt; chosen by {@code SWITCHBOARD_AI_PROVIDER}. */
public interface ModelProvider {
    String name();

    /**
     * Whether the model follows instructions: a custom prompt and context change what it says. The {@code local}
     * provider does not: it answers from the help articles only.
     */
    boolean followsInstructions();

    String answer(Prompt prompt);
}
