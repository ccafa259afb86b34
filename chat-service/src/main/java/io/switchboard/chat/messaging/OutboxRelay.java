package io.switchboard.chat.messaging;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import org.eclipse.microprofile.reactive.messaging.Channel;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.switchboard.common.messaging.KeyedRecords;
import io.switchboard.common.work.CoalescingWorker;
import io.switchboard.contracts.Topics;
import io.switchboard.chat.domain.Outbox;

/**
 * Publishes the outbox to Kafka in commit order, keyed by conversation id (agent events: by agent id, on their own
 * topic), then deletes what was acknowledged.
 * Safe with several replicas: a transaction-scoped advisory lock lets one relay work at a time, so no two
 * replicas interleave one conversation's events. A crash after publishing but before deleting publishes a
 * row again; consumers dedupe on the event id.
 */
@ApplicationScoped
public class OutboxRelay {
    public static final String CHANNEL = "chat-events-out";
    private static final int BATCH = 200;

    private final MutinyEmitter<String> emitter;
    private final Outbox outbox;
    private final CoalescingWorker worker = new CoalescingWorker("outbox-relay", () -> publishBatch() == BATCH);
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> new Thread(r, "outbox-send"));

    private final MeterRegistry metrics;
    /** Rows waiting at the last poll: a growing number means the broker is not taking them. */
    private final AtomicLong backlog = new AtomicLong();

    OutboxRelay(@Channel(CHANNEL) MutinyEmitter<String> emitter, Outbox outbox, MeterRegistry metrics) {
        this.emitter = emitter;
        this.outbox = outbox;
        this.metrics = metrics;
        metrics.gauge("switchboard.outbox.backlog", backlog);
    }

    void afterCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) Outbox.Written written) {
        wake();
    }

    /**
     * Fallback poll: rows left by a crash, a failed publish or another replica holding the lock. It also counts the
     * backlog for the gauge, here rather than after every batch, where the count cost as much as the batch.
     */
    // not before the application runs: a first poll during startup would create this bean before Reactive Messaging
    // registered its emitter (SRMSG00019), and none while it shuts down
    @Scheduled(every = "${switchboard.outbox.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void poll() {
        backlog.set(backlog());
        wake();
    }

    /** Runs the relay on its own thread; wakes while one is queued coalesce into it. */
    public void wake() {
        worker.wake();
    }

    /** Publishes one batch; returns how many rows it published (0 when another replica holds the lock). */
    public int publishBatch() {
        return QuarkusTransaction.requiringNew().call(() -> {
            if (!emitter.hasRequests()) {
                // the Kafka channel has no demand (not connected yet, or closing): the rows wait for the next poll
                return 0;
            }
            List<Outbox.Row> rows = outbox.take(BATCH);
            if (rows.isEmpty()) {
                // nothing waiting, or another replica's relay holds the lock
                return 0;
            }
            // handed to the broker from a thread without this transaction: context propagation would otherwise carry
            // the transaction into the Kafka callbacks, and a commit while a callback still runs in it fails
            List<CompletableFuture<Void>> acks = CompletableFuture.supplyAsync(() -> rows.stream().map(this::send).toList(), sender).join();
            // acknowledged, so the delete may commit; a failure here rolls it back and the rows wait for the next batch
            KeyedRecords.awaitAll(acks);
            rows.forEach(row -> metrics.counter("switchboard.events.published", "topic", topic(row), "type", row.type()).increment());
            return rows.size();
        });
    }

    private CompletableFuture<Void> send(Outbox.Row row) {
        var headers = new org.apache.kafka.common.header.internals.RecordHeaders()
                .add("ce_id", row.id().toString().getBytes())
                .add("ce_type", row.type().getBytes());
        if (row.traceParent() != null) {
            // the change's own trace, not the relay's: consumers continue the customer's request
            headers.add("traceparent", row.traceParent().getBytes());
        }
        return KeyedRecords.send(emitter, topic(row), row.aggregateId(), row.payload(), headers);
    }

    private static String topic(Outbox.Row row) {
        return Outbox.AGENT.equals(row.aggregateType()) ? Topics.AGENT_EVENTS : Topics.CHAT_EVENTS;
    }

    public long backlog() {
        return outbox.waiting();
    }

    /** On shutdown, before the database goes: the step in progress finishes, no new one starts. */
    void stop(@Observes ShutdownEvent shutdown) {
        worker.stop();
        sender.shutdown();
    }
}
