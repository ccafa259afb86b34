package io.switchboard.ai.model;

import java.util.List;
import io.switchboard.ai.knowledge.KnowledgeBase;


/**
 * The offline provider: no generation. It answers with the knowledge-base passage closest to the customer's message,
 * or, when nothing is close enough, says plainly that a person will follow up.
 */
public class LocalProvider implements ModelProvider {
    public static final String NO_ANSWER = "Thanks for your message. I couldn't find an answer in our help articles, "
            + "so a person from our team will follow up.";

    private final KnowledgeBase knowledge;

    public LocalProvider(KnowledgeBase knowledge) {
        this.knowledge = knowledge;
    }

    @Override
    public boolean followsInstructions() {
        return false;
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public String answer(Prompt prompt) {
        List<KnowledgeBase.Match> matches = prompt.knowledge();
        if (matches.isEmpty() || matches.get(0).score() < knowledge.threshold()) {
            return NO_ANSWER;
        }
        var best = matches.get(0).passage();
        return "From our help centre, \"" + best.title() + "\": " + best.text();
    }
}
