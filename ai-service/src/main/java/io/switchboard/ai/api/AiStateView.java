package io.switchboard.ai.api;

import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.switchboard.ai.domain.AiState;
import io.switchboard.ai.reply.ModelCall;

/**
 * A conversation's AI state as agents see it, with the model behind it: {@code follows_instructions} is false for the
 * {@code local} provider, which answers from the help articles and ignores prompts and context.
 */
public record AiStateView(boolean aiEnabled, String disabledBy, String customPrompt, ObjectNode promptVariant,
        Map<String, Object> context, String provider, boolean followsInstructions) {

    static AiStateView of(AiState state, ModelCall model) {
        return new AiStateView(state.aiEnabled(), state.disabledBy(), state.customPrompt(), state.promptVariant(), state.context(),
                model.providerName(), model.followsInstructions());
    }
}
