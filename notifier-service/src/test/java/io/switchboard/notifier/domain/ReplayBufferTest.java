package io.switchboard.notifier.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;

class ReplayBufferTest {

    @Test
    void largeFramesAreBoundedInBytesNotOnlyInCount() {
        // room for 1,000 frames but only about 100 KB: ten 10 KB events fill it
        var buffer = new ReplayBuffer(1_000, 100_000);
        String large = "x".repeat(5_000);
        for (int i = 0; i < 20; i++) {
            buffer.add(new ReplayBuffer.Entry("e" + i, "c-1", large + i, "small" + i));
        }
        assertNull(buffer.after("e0", "c-1", false), "the oldest left to make room");
        List<String> kept = buffer.after("e15", "c-1", false);
        assertEquals(List.of(large + 16, large + 17, large + 18, large + 19), kept);
        assertEquals(List.of("small16", "small17", "small18", "small19"), buffer.after("e15", "c-1", true), "the customer's view");
    }

    @Test
    void aRepeatedEventIsKeptOnce() {
        var buffer = new ReplayBuffer(10, 1_000_000);
        assertEquals(true, buffer.add(new ReplayBuffer.Entry("e1", "c-1", "a", "a")));
        assertEquals(false, buffer.add(new ReplayBuffer.Entry("e1", "c-1", "a", "a")));
    }
}
