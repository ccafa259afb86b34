package io.switchboard.common.messaging;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.Json;

/**
 * Records keyed by conversation id (so one conversation's records keep their order in one partition), sent through a
 * channel and acknowledged by the broker before the sender moves on: what the outbox relay, workflow-service's
 * commands and ai-service's answers all do.
 */
public final class KeyedRecords {
    /** How long a sender waits for the broker's acknowledgements before it fails (and is retried). */
    public static final Duration ACK_TIMEOUT = Duration.ofSeconds(15);

    private KeyedRecords() {
    }

    /** Sends one record; the stage completes when the broker has it. */
    public static CompletableFuture<Void> send(MutinyEmitter<String> emitter, String key, String value, Headers headers) {
        return send(emitter, null, key, value, headers);
    }

    /** Sends one record to another topic than the channel's (null: the channel's); completes when the broker has it. */
    public static CompletableFuture<Void> send(MutinyEmitter<String> emitter, String topic, String key, String value, Headers headers) {
        var metadata = OutgoingKafkaRecordMetadata.<String>builder().withKey(key).withHeaders(headers);
        if (topic != null) {
            metadata = metadata.withTopic(topic);
        }
        return emitter.sendMessage(Message.of(value).addMetadata(metadata.build())).subscribeAsCompletionStage();
    }

    /** Sends an envelope keyed by its conversation (the subject). */
    public static CompletableFuture<Void> send(MutinyEmitter<String> emitter, Envelope envelope) {
        return send(emitter, envelope.subject(), Json.write(envelope), new RecordHeaders());
    }

    /** Waits until the broker acknowledged every record, or fails after {@link #ACK_TIMEOUT}. */
    public static void awaitAll(List<CompletableFuture<Void>> acks) throws Exception {
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
