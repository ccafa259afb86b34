package io.switchboard.ai.model;

import java.util.List;
import java.util.Map;
import io.switchboard.ai.domain.ConversationMemory;
import io.switchboard.ai.knowledge.KnowledgeBase;


/**
 * What a model is asked: the instructions (custom or default prompt), the context data and knowledge passages as
 * data, the recent turns, and the customer's message, which stays a user message and never joins the instructions.
 */
public record Prompt(String instructions, Map<String, Object> context, List<KnowledgeBase.Match> knowledge,
        List<ConversationMemory.Turn> history, String customerMessage) {
}
