package io.switchboard.ai.model;

/** A model that answers a prompt; chosen by {@code SWITCHBOARD_AI_PROVIDER}. */
public interface ModelProvider {
    String name();

    String answer(Prompt prompt);
}
