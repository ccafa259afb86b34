package io.switchboard.ai.domain;

import java.util.Map;

/** What ai-service knows of one conversation: whether it may answer, with which prompt, with which context data. */
public record AiState(boolean aiEnabled, String customPrompt, Map<String, Object> context) {
    public static final AiState DEFAULT = new AiState(true, null, Map.of());
}
