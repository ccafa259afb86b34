package io.switchboard.ai.domain;

import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What ai-service knows of one conversation: whether it may answer, who switched it off ({@code agent} or
 * {@code workflow}, null while it is on), with which prompt (and the A/B test variant that chose it, {@code
 * {"workflow_id", "name"}}), with which context data.
 */
public record AiState(boolean aiEnabled, String disabledBy, String customPrompt, ObjectNode promptVariant, Map<String, Object> context) {
    public static final AiState DEFAULT = new AiState(true, null, null, null, Map.of());

    /** A new prompt, with the A/B test variant it came from (null: none). */
    AiState withPrompt(String prompt, ObjectNode variant) {
        return new AiState(aiEnabled, disabledBy, prompt, variant, context);
    }

    AiState withContext(Map<String, Object> newContext) {
        return new AiState(aiEnabled, disabledBy, customPrompt, promptVariant, newContext);
    }
}
