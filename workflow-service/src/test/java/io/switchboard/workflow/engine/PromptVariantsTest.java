package io.switchboard.workflow.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.switchboard.contracts.WorkflowAction.PromptVariant;

class PromptVariantsTest {
    private static final List<PromptVariant> ONE_TO_THREE = List.of(new PromptVariant("friendly", 1, "Be warm."),
            new PromptVariant("formal", 3, "Be formal."));

    @Test
    void twoHundredConversationsSplitWithinTenPointsOfTheWeights() {
        String workflow = UUID.randomUUID().toString();
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            counts.merge(PromptVariants.choose(ONE_TO_THREE, workflow, UUID.randomUUID().toString()).name(), 1, Integer::sum);
        }
        double formalShare = counts.getOrDefault("formal", 0) / 200.0;
        assertTrue(Math.abs(formalShare - 0.75) <= 0.10, "formal got " + counts);
        assertEquals(200, counts.values().stream().mapToInt(Integer::intValue).sum());
    }

    @Test
    void aConversationKeepsItsVariantAndExperimentsSplitIndependently() {
        String conversation = UUID.randomUUID().toString();
        String first = PromptVariants.choose(ONE_TO_THREE, "wf-1", conversation).name();
        for (int i = 0; i < 20; i++) {
            assertEquals(first, PromptVariants.choose(ONE_TO_THREE, "wf-1", conversation).name());
        }
        // across many experiments the same conversation does not always land in the same arm
        long friendly = java.util.stream.IntStream.range(0, 200)
                .filter(i -> PromptVariants.choose(ONE_TO_THREE, "wf-" + i, conversation).name().equals("friendly")).count();
        assertTrue(friendly > 20 && friendly < 80, "friendly in " + friendly + " of 200 experiments");
    }

    @Test
    void aVariantWithoutWeightIsNeverChosen() {
        var variants = List.of(new PromptVariant("off", 0, "x"), new PromptVariant("on", 2, "y"));
        for (int i = 0; i < 100; i++) {
            assertEquals("on", PromptVariants.choose(variants, "wf", UUID.randomUUID().toString()).name());
        }
    }
}
