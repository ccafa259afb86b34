package io.switchboard.notifier.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class ReplayBufferTest {

    @Test
    void largeFramesAreBoundedInBytesNotOnlyInCount() {
        // room for 1,000 frames but only 100,000 bytes: nine 10 KB events fill it
        var buffer = new ReplayBuffer(1_000, 100_000);
        String large = "x".repeat(10_000);
        for (int i = 0; i < 20; i++) {
            buffer.add(new ReplayBuffer.Entry("e" + i, "c-1", large + i, "small" + i));
            assertTrue(buffer.used() <= 100_000, "held " + buffer.used() + " bytes");
        }
        assertNull(buffer.after("e10", "c-1", false), "the oldest left to make room");
        List<String> kept = buffer.after("e15", "c-1", false);
        assertEquals(List.of(large + 16, large + 17, large + 18, large + 19), kept);
        assertEquals(List.of("small16", "small17", "small18", "small19"), buffer.after("e15", "c-1", true), "the customer's view");
    }

    @Test
    void framesAreBoundedInCount() {
        var buffer = new ReplayBuffer(3, 1_000_000);
        for (int i = 1; i <= 5; i++) {
            buffer.add(new ReplayBuffer.Entry("e" + i, "c-1", "agent" + i, "customer" + i));
        }
        assertNull(buffer.after("e2", "c-1", false));
        assertEquals(List.of("agent4", "agent5"), buffer.after("e3", "c-1", false));
    }

    @Test
    void aRepeatedEventIsKeptOnce() {
        var buffer = new ReplayBuffer(10, 1_000_000);
        assertEquals(true, buffer.add(new ReplayBuffer.Entry("e1", "c-1", "a", "a")));
        assertEquals(false, buffer.add(new ReplayBuffer.Entry("e1", "c-1", "a", "a")));
    }

    @Test
    void framesCrossingTheEdgesOfTheRingComeBackWhole() {
        // 100 bytes in arrays of 16: most frames cross an array's end, the ring wraps round every few events, and a
        // frame of more than 100 bytes (up to 20 pieces of up to 6) is not kept
        var buffer = new ReplayBuffer(1_000, 100, 16);
        Random random = new Random(21);
        List<ReplayBuffer.Entry> added = new ArrayList<>();
        String[] pieces = { "a", "é", "日本", "🙂", "\"", "\\n" };
        for (int i = 0; i < 2_000; i++) {
            String conversation = "c-" + random.nextInt(3);
            var entry = new ReplayBuffer.Entry("e" + i, conversation, text(random, pieces, 20), random.nextInt(4) == 0 ? null : text(random, pieces, 10));
            assertTrue(buffer.add(entry));
            added.add(entry);
            assertTrue(buffer.used() <= 100, "held " + buffer.used() + " bytes");
            // every event still held gives back exactly what came after it, for an agent and for its customer
            for (int from = added.size() - 2; from >= 0; from--) {
                var last = added.get(from);
                List<String> forAgent = buffer.after(last.eventId(), conversation, false);
                if (forAgent == null) {
                    break;
                }
                List<ReplayBuffer.Entry> later = added.subList(from + 1, added.size()).stream()
                        .filter(e -> e.conversationId().equals(conversation)).toList();
                assertEquals(later.stream().map(ReplayBuffer.Entry::agentFrame).toList(), forAgent);
                assertEquals(later.stream().map(ReplayBuffer.Entry::customerFrame).filter(f -> f != null).toList(),
                        buffer.after(last.eventId(), conversation, true));
            }
        }
        assertEquals(List.of(), buffer.after(added.getLast().eventId(), null, false), "the newest is always held");
    }

    @Test
    void aFrameLargerThanTheBufferTellsOnlyThoseWhoMissedItToReload() {
        var buffer = new ReplayBuffer(10, 100);
        buffer.add(new ReplayBuffer.Entry("e1", "c-1", "first", "first"));
        assertTrue(buffer.add(new ReplayBuffer.Entry("e2", "c-1", "y".repeat(200), "y")));
        buffer.add(new ReplayBuffer.Entry("e3", "c-2", "other", "other"));
        buffer.add(new ReplayBuffer.Entry("e4", "c-1", "z".repeat(200), null));

        assertNull(buffer.after("e1", "c-1", false), "its frames are not here: reload");
        assertNull(buffer.after("e1", null, false), "the inbox missed it too");
        assertEquals(List.of("other"), buffer.after("e1", "c-2", false), "another conversation's client did not need it");
        assertEquals(List.of(), buffer.after("e2", "c-1", true), "a note too large is not the customer's business");
        assertNull(buffer.after("e0", "c-1", false), "an id never held");
        assertFalse(buffer.add(new ReplayBuffer.Entry("e2", "c-1", "y".repeat(200), "y")), "still recognised when redelivered");
    }

    private static String text(Random random, String[] pieces, int most) {
        StringBuilder text = new StringBuilder();
        for (int n = random.nextInt(most + 1); n > 0; n--) {
            text.append(pieces[random.nextInt(pieces.length)]);
        }
        return text.toString();
    }
}
