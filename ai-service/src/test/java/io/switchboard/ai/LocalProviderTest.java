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
