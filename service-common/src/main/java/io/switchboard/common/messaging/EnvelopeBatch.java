package io.switchboard.common.messaging;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.jboss.logging.Logger;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.switchboard.common.logging.ConversationLog;
import io.switchboard.common.work.Outages;
import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.Json;

/**
 * The records of one poll, handled together: one database transaction, one round of broker acknowledgements and one
 * set of lookups for all of them instead of one each, which is where a stage's cost per message went. The guarantees
 * stay those of one record at a time: the batch is retried ({@link ConsumerRetries}), an outage is waited out; a
 * batch that fails for good is handled again record by record, so only the record that cannot succeed goes to the
 * dead-letter topic (it is nacked alone) and the others are acknowledged; a record that is not an envelope is nacked at
 * once. Batches of one consumer are handled one after another (SmallRye concatenates a method's {@link Uni}s), and the
 * handler sees the records in poll order, which keeps each conversation's (each partition's) order.
 *
 * <p>Each record keeps its own trace: work done {@link Item#inTrace in its trace} continues the trace of the
 * customer's request, so the records and spans it causes belong to that trace as they did one record at a time.
 */
public final class EnvelopeBatch {
    private static final Logger LOG = Logger.getLogger(EnvelopeBatch.class);
    private static final TextMapGetter<Headers> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            List<String> keys = new ArrayList<>();
            headers.forEach(h -> keys.add(h.key()));
            return keys;
        }

        @Override
        public String get(Headers headers, String key) {
            Header header = headers == null ? null : headers.lastHeader(key);
            return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    /** One record of a batch: its envelope and the trace context its headers carry. */
    public record Item(Envelope envelope, Context trace) {
        /** Runs work in this record's trace, with its conversation in the log context. */
        public void inTrace(Outages.Work work) throws Exception {
            try (Scope scope = trace.makeCurrent()) {
                ConversationLog.about(envelope.subject(), work);
            }
        }

        /** As {@link #inTrace(Outages.Work)}, for work with a result. */
        public <T> T callInTrace(Callable<T> work) throws Exception {
            List<T> result = new ArrayList<>(1);
            inTrace(() -> {
                result.add(work.call());
            });
            return result.get(0);
        }

        public String id() {
            return envelope.id();
        }
    }

    /** Handles the records of a batch, in order; may be called again with the same or fewer of them. */
    @FunctionalInterface
    public interface Handler {
        void handle(List<Item> items) throws Exception;
    }

    /** A record as the batch gets it: its value and headers. */
    record Received(String payload, Headers headers) {
    }

    private EnvelopeBatch() {
    }

    /**
     * For a consumer method {@code Uni<Void> consume(KafkaRecordBatch<String, String> batch)}: handles the batch on a
     * worker thread, then acknowledges each record that was handled and nacks (dead-letter topic) each that failed.
     */
    public static Uni<Void> consume(KafkaRecordBatch<String, String> batch, Handler handler) {
        List<KafkaRecord<String, String>> records = batch.getRecords();
        return Uni.createFrom().item(() -> handle(records.stream().map(r -> new Received(r.getPayload(), r.getHeaders())).toList(), handler))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(failures -> {
                    List<Uni<Void>> settled = new ArrayList<>(records.size());
                    for (int i = 0; i < records.size(); i++) {
                        KafkaRecord<String, String> record = records.get(i);
                        Throwable failure = failures.get(i);
                        settled.add(Uni.createFrom().completionStage(failure == null ? record.ack() : record.nack(failure)));
                    }
                    return settled.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(settled).andFailFast().replaceWithVoid();
                });
    }

    /**
     * Handles the records and returns, per record in order, null when it was handled or why it failed for good.
     * Package-private: the part without Kafka, for tests.
     */
    static List<Throwable> handle(List<Received> records, Handler handler) {
        List<Throwable> failures = new ArrayList<>(java.util.Collections.nCopies(records.size(), null));
        Map<Integer, Item> items = new LinkedHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            try {
                Envelope envelope = Json.readEnvelope(records.get(i).payload());
                Context trace = W3CTraceContextPropagator.getInstance().extract(Context.root(), records.get(i).headers(), HEADERS);
                items.put(i, new Item(envelope, trace));
            } catch (RuntimeException e) {
                LOG.warnf("record %d of a batch is not an envelope: %s", i, e.toString());
                failures.set(i, e);
            }
        }
        if (items.isEmpty()) {
            return failures;
        }
        List<Item> all = List.copyOf(items.values());
        try {
            ConsumerRetries.retrying(all.size() == 1 ? describe(all.get(0)) : "a batch of " + all.size() + " records",
                    () -> handler.handle(all));
        } catch (Exception batchFailure) {
            if (all.size() == 1) {
                failures.set(items.keySet().iterator().next(), batchFailure);
                return failures;
            }
            // one record spoils the batch: find it by handling them one at a time (all idempotent, so those that the
            // batch already did change nothing the second time)
            LOG.warnf("a batch of %d records failed (%s): handling them one by one", all.size(), batchFailure.toString());
            for (var entry : items.entrySet()) {
                Item item = entry.getValue();
                try {
                    ConsumerRetries.retrying(describe(item), () -> handler.handle(List.of(item)));
                } catch (Exception e) {
                    failures.set(entry.getKey(), e);
                }
            }
        }
        return failures;
    }

    /**
     * The batch in turns that hold at most one record of each conversation, in order: the first record of every
     * conversation, then the second, and so on. For work where a conversation's record depends on what its previous
     * one stored, and records of different conversations do not depend on each other.
     */
    public static List<List<Item>> turns(List<Item> items) {
        Map<String, Integer> seen = new java.util.HashMap<>();
        List<List<Item>> turns = new ArrayList<>();
        for (Item item : items) {
            int turn = seen.merge(String.valueOf(item.envelope().subject()), 1, Integer::sum) - 1;
            if (turn == turns.size()) {
                turns.add(new ArrayList<>());
            }
            turns.get(turn).add(item);
        }
        return turns;
    }

    private static String describe(Item item) {
        return item.envelope().type() + " " + item.id() + " of conversation " + item.envelope().subject();
    }
}
