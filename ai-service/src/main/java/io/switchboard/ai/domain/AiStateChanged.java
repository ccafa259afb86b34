package io.switchboard.ai.domain;

/** Fired after every change of a conversation's AI state, so it can be published (a CDI event: the domain knows no topics). */
public record AiStateChanged(String conversationId, AiState state) {
}
