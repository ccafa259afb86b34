package io.switchboard.common.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;

class OverlappingBatchesTest {
    /** A batch whose work starts when the batches allow it and ends when the test says so. */
    private static final class Batch {
        final CompletableFuture<Void> started = new CompletableFuture<>();
        final CompletableFuture<Void> finish = new CompletableFuture<>();
        CompletableFuture<Void> mayContinue;

        Batch submitTo(OverlappingBatches batches, List<String> order, String name, String... keys) {
            return submitTo(batches, order, name, new TopicPartition("commands", 0), keys);
        }

        Batch submitTo(OverlappingBatches batches, List<String> order, String name, TopicPartition partition, String... keys) {
            mayContinue = batches.submit(List.of(keys), Set.of(partition), () -> Uni.createFrom().completionStage(() -> {
                order.add(name);
                started.complete(null);
                return finish;
            })).subscribeAsCompletionStage();
            return this;
        }
    }

    @Test
    void aBatchOfOtherKeysRunsWhileTheOneBeforeItIsStillRunning() {
        var batches = new OverlappingBatches(4);
        List<String> order = new CopyOnWriteArrayList<>();
        Batch slow = new Batch().submitTo(batches, order, "slow", "a", "a");
        Batch other = new Batch().submitTo(batches, order, "other", "b", "c");
        assertTrue(slow.started.isDone());
        assertTrue(other.started.isDone(), "a batch without a's records waited for a's batch");
        assertTrue(slow.mayContinue.isDone() && other.mayContinue.isDone(), "the consumer was held although there was room");
        assertEquals(2, batches.inFlight());
        other.finish.complete(null);
        slow.finish.complete(null);
        assertEquals(0, batches.inFlight());
    }

    @Test
    void aKeysBatchesRunOneAfterAnotherInPollOrder() {
        var batches = new OverlappingBatches(4);
        List<String> order = new CopyOnWriteArrayList<>();
        Batch first = new Batch().submitTo(batches, order, "first", "a");
        Batch second = new Batch().submitTo(batches, order, "second", "b", "a");
        Batch third = new Batch().submitTo(batches, order, "third", "a");
        assertFalse(second.started.isDone(), "a's second batch started before its first ended");
        first.finish.complete(null);
        assertTrue(second.started.isDone());
        assertFalse(third.started.isDone(), "a's third batch started before its second ended");
        second.finish.complete(null);
        third.finish.complete(null);
        assertEquals(List.of("first", "second", "third"), order);
    }

    @Test
    void aFailedBatchDoesNotStopTheNextBatchOfItsKey() {
        var batches = new OverlappingBatches(4);
        List<String> order = new CopyOnWriteArrayList<>();
        Batch failing = new Batch().submitTo(batches, order, "failing", "a");
        Batch next = new Batch().submitTo(batches, order, "next", "a");
        failing.finish.completeExceptionally(new IllegalStateException("could not acknowledge"));
        assertTrue(next.started.isDone());
        next.finish.complete(null);
        assertEquals(0, batches.inFlight());
    }

    @Test
    void theConsumerWaitsForRoomOnceTheBatchesInFlightAreAtTheirBound() {
        var batches = new OverlappingBatches(2);
        List<String> order = new CopyOnWriteArrayList<>();
        Batch one = new Batch().submitTo(batches, order, "one", "a");
        Batch two = new Batch().submitTo(batches, order, "two", "b");
        assertTrue(one.mayContinue.isDone());
        assertFalse(two.mayContinue.isDone(), "a third poll was let in with two batches in flight");
        one.finish.complete(null);
        assertTrue(two.mayContinue.isDone());
        two.finish.complete(null);
    }

    @Test
    void drainingWaitsForTheBatchesInFlightAndThenForEachNewOne() {
        var batches = new OverlappingBatches(4);
        List<String> order = new CopyOnWriteArrayList<>();
        Batch running = new Batch().submitTo(batches, order, "running", "a");
        assertFalse(batches.drain(Duration.ofMillis(50)), "drained with a batch still running");
        running.finish.complete(null);
        assertTrue(batches.drain(Duration.ofSeconds(1)));
        Batch afterwards = new Batch().submitTo(batches, order, "afterwards", "b");
        assertFalse(afterwards.mayContinue.isDone(), "while draining, the consumer went on before its batch ended");
        afterwards.finish.complete(null);
        assertTrue(afterwards.mayContinue.isDone());
    }

    @Test
    void aRevokedPartitionWaitsOnlyForTheBatchesOfItsRecords() {
        var batches = new OverlappingBatches(4);
        List<String> order = new CopyOnWriteArrayList<>();
        TopicPartition revoked = new TopicPartition("commands", 1);
        TopicPartition kept = new TopicPartition("commands", 2);
        Batch ofRevoked = new Batch().submitTo(batches, order, "of revoked", revoked, "a");
        Batch ofKept = new Batch().submitTo(batches, order, "of kept", kept, "b");
        assertTrue(batches.awaitBatchesOf(List.of(new TopicPartition("commands", 3)), Duration.ZERO), "waited for a partition without batches");
        assertFalse(batches.awaitBatchesOf(List.of(revoked), Duration.ofMillis(50)), "handed over while its batch was running");
        ofRevoked.finish.complete(null);
        assertTrue(batches.awaitBatchesOf(List.of(revoked), Duration.ofSeconds(1)), "still waiting although its batch had ended");
        ofKept.finish.complete(null);
    }

    @Test
    void aBoundBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new OverlappingBatches(0));
    }
}
