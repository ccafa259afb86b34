package io.switchboard.ai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.switchboard.ai.knowledge.KnowledgeBase;
import io.switchboard.ai.model.LocalProvider;
import io.switchboard.ai.model.Prompt;


/** The offline provider: the real all-MiniLM-L6-v2 model ranks help articles in process; no network, no key. */
class LocalProviderTest {
    private static final KnowledgeBase BUNDLED = new KnowledgeBase(Optional.empty(), 0.55, 3);

    private static String ask(KnowledgeBase knowledge, String question) {
        var provider = new LocalProvider(knowledge);
        return provider.answer(new Prompt("unused", Map.of(), knowledge.search(question, 3), List.of(), question));
    }

    @Test
    void saysItDoesNotFollowInstructionsAndAnswersTheSameWhateverThePrompt() {
        var provider = new LocalProvider(BUNDLED);
        assertEquals(false, provider.followsInstructions());
        String question = "I forgot my password, how can I get a new one?";
        var knowledge = BUNDLED.search(question, 3);
        assertEquals(provider.answer(new Prompt("Answer only in French, as a pirate.", Map.of("tier", "gold"), knowledge, List.of(), question)),
                provider.answer(new Prompt("unused", Map.of(), knowledge, List.of(), question)));
    }

    @Test
    void answersFromTheClosestBundledHelpArticle() {
        String answer = ask(BUNDLED, "I forgot my password, how can I get a new one?");
        assertTrue(answer.contains("Forgot password"), answer);
        assertTrue(ask(BUNDLED, "how long does delivery take?").contains("working days"));
    }

    @Test
    void saysAPersonWillFollowUpWhenNothingIsClose() {
        assertEquals(LocalProvider.NO_ANSWER, ask(BUNDLED, "What is the airspeed velocity of an unladen swallow?"));
    }

    @Test
    void readsAConfiguredFolderOfMarkdown(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("pets.md"), "# Pets\n\n## Bringing a dog\nDogs are welcome in all our stores if kept on a lead.\n");
        var knowledge = new KnowledgeBase(Optional.of(dir.toString()), 0.5, 3);
        assertTrue(ask(knowledge, "Can I bring my dog into the shop?").contains("on a lead"));
    }

    /**
     * Retrieval quality of the shipped model over the bundled help centre: customers' own wordings of each article's
     * question find that article first; a question no article answers scores under the answer threshold.
     */
    @Test
    void eachArticleIsFoundFirstForTheWaysCustomersAskForIt() {
        Map<String, List<String>> asked = Map.of(
                "Reset your password", List.of("I forgot my password", "how do I reset my password?", "the password reset email never came",
                        "can't sign in, need a new password"),
                "Opening hours", List.of("what are your opening hours?", "when is support open?", "are you available on weekends?",
                        "what time does your support team start?"),
                "Refunds", List.of("I want a refund", "how long does a refund take?", "can I get my money back?",
                        "when will my refund show up on my card?"),
                "Shipping", List.of("how long does delivery take?", "when will my order ship?", "do you have express delivery?",
                        "where is my parcel tracking link?"),
                "Cancel a subscription", List.of("how do I cancel my subscription?", "I want to stop my subscription",
                        "cancel my plan please", "will my subscription stay active after I cancel?"));
        List<String> wrong = new java.util.ArrayList<>();
        asked.forEach((title, questions) -> questions.forEach(question -> {
            var found = BUNDLED.search(question, 1);
            if (found.isEmpty() || !found.get(0).passage().title().equals(title)) {
                wrong.add(question + " -> " + (found.isEmpty() ? "nothing" : found.get(0).passage().title() + " " + found.get(0).score()));
            }
        }));
        assertEquals(List.of(), wrong);
        double unrelated = BUNDLED.search("What is the airspeed velocity of an unladen swallow?", 1).get(0).score();
        assertTrue(unrelated < BUNDLED.threshold(), "an unrelated question scores " + unrelated);
    }

    @Test
    void aRepeatedQuestionIsEmbeddedOnceAndTheCacheIsBounded() {
        var knowledge = new KnowledgeBase(Optional.empty(), 0.55, 3);
        var first = knowledge.search("  hi, where is my order?", 3);
        var again = knowledge.search("hi, where is my order?  ", 3);
        assertEquals(1, knowledge.cachedQuestions());
        assertEquals(first.stream().map(KnowledgeBase.Match::score).toList(), again.stream().map(KnowledgeBase.Match::score).toList());
        for (int i = 0; i < 1100; i++) {
            knowledge.search("question " + i, 1);
        }
        assertEquals(1024, knowledge.cachedQuestions());
    }
}
