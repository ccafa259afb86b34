package io.switchboard.common.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;

/**
 * Lets a consumer's batches overlap, for work that waits on something slow (a model that answers in seconds). SmallRye
 * hands a consumer its next poll only when the {@link Uni} of the current one completes, so a record waited for the
 * slowest record of the batch before it. Here a batch starts as soon as every earlier batch that holds one of its keys
 * (conversations) has ended, and the consumer gets its next poll at once while fewer than {@code maxInFlight} batches
 * run. What holds: a key's batches run one after another in poll order (the partition's order, as keys do not change
 * partition); each record is acknowledged when its own batch ends, and the throttled commit strategy commits an offset
 * only once every record before it is acknowledged, so a crash redelivers what was not done (at least once). One
 * instance per replica, shared by its consumers: a partition that moves between them keeps its order too.
 *
 * <p>On stop, {@link #drain} first makes each new batch's Uni wait for the batch again (so the connector's graceful stop
 * waits for it, as it does without this) and then waits for the batches still running: their records are acknowledged
 * and committed before the consumers leave their groups, and another replica does not answer them a second time. When
 * partitions are taken away in a rebalance, {@link #awaitBatchesOf} holds their hand-over until the batches holding
 * their records have ended, for the same reason (the new owner then finds their work recorded as done).
 */
public final class OverlappingBatches {
    private static final Logger LOG = Logger.getLogger(OverlappingBatches.class);

    private final int maxInFlight;
    /** The last batch of each key that has not ended yet. */
    private final Map<String, CompletableFuture<Void>> lastOfKey = new HashMap<>();
    /** The batches that have not ended, with the partitions their records came from. */
    private final Map<CompletableFuture<Void>, Set<TopicPartition>> running = new LinkedHashMap<>();
    /** Completed when a batch ends while the consumers wait for room. */
    private CompletableFuture<Void> room = new CompletableFuture<>();
    private boolean draining;

    public OverlappingBatches(int maxInFlight) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1, got " + maxInFlight);
        }
        this.maxInFlight = maxInFlight;
    }

    /** For a consumer method: handles the batch as {@link EnvelopeBatch#consume} does, overlapping other batches. */
    public Uni<Void> consume(KafkaRecordBatch<String, String> batch, EnvelopeBatch.Handler handler) {
        List<String> keys = batch.getRecords().stream().map(KafkaRecord::getKey).toList();
        Set<TopicPartition> partitions = new LinkedHashSet<>();
        batch.getRecords().forEach(r -> partitions.add(new TopicPartition(r.getTopic(), r.getPartition())));
        return submit(keys, partitions, () -> EnvelopeBatch.consume(batch, handler));
    }

    /**
     * Runs {@code work} once the earlier batches of {@code keys} have ended; the Uni completes when the consumer may
     * take its next poll. Package-private: the part without Kafka, for tests.
     */
    Uni<Void> submit(List<String> keys, Set<TopicPartition> partitions, Supplier<Uni<Void>> work) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        List<CompletableFuture<Void>> before = new ArrayList<>();
        CompletableFuture<Void> mayContinue;
        synchronized (this) {
            for (String key : new LinkedHashSet<>(keys)) {
                CompletableFuture<Void> last = lastOfKey.put(key, done);
                if (last != null) {
                    before.add(last);
                }
            }
            running.put(done, partitions);
            mayContinue = draining ? done : running.size() < maxInFlight ? CompletableFuture.completedFuture(null) : room;
        }
        // the earlier batches of these keys never fail (see below): a failed one has nacked its records already
        CompletableFuture.allOf(before.toArray(CompletableFuture[]::new))
                .thenCompose(ignored -> run(work))
                .whenComplete((ignored, failure) -> {
                    if (failure != null) {
                        LOG.errorf(failure, "a batch could not be acknowledged; its records come again after a restart");
                    }
                    ended(done);
                    done.complete(null);
                });
        return Uni.createFrom().completionStage(mayContinue);
    }

    private static CompletableFuture<Void> run(Supplier<Uni<Void>> work) {
        try {
            return work.get().subscribeAsCompletionStage();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void ended(CompletableFuture<Void> batch) {
        CompletableFuture<Void> freed;
        synchronized (this) {
            running.remove(batch);
            lastOfKey.values().removeIf(last -> last == batch);
            freed = room;
            room = new CompletableFuture<>();
        }
        freed.complete(null);
    }

    /** Batches that are running now. */
    public synchronized int inFlight() {
        return running.size();
    }

    /**
     * Waits up to {@code timeout} for the batches running now that hold records of these partitions (for a rebalance
     * listener, before the partitions go to another consumer). Returns whether they all ended.
     */
    public boolean awaitBatchesOf(Collection<TopicPartition> partitions, Duration timeout) {
        List<CompletableFuture<Void>> holding = new ArrayList<>();
        synchronized (this) {
            running.forEach((batch, of) -> {
                if (partitions.stream().anyMatch(of::contains)) {
                    holding.add(batch);
                }
            });
        }
        return await(CompletableFuture.allOf(holding.toArray(CompletableFuture[]::new)), timeout);
    }

    /**
     * From now on a batch's Uni completes when the batch has ended; waits up to {@code timeout} for the batches that
     * are running. Returns whether they all ended.
     */
    public boolean drain(Duration timeout) {
        CompletableFuture<Void> all;
        synchronized (this) {
            draining = true;
            all = CompletableFuture.allOf(running.keySet().toArray(CompletableFuture[]::new));
            room.complete(null);
        }
        return await(all, timeout);
    }

    /** Batches never fail (see {@link #submit}): only the time can run out. */
    private static boolean await(CompletableFuture<Void> batches, Duration timeout) {
        try {
            batches.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }
}
