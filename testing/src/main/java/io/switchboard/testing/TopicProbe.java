package io.switchboard.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.Json;

/** Reads a topic from its beginning, and writes records into it, for tests to assert on what crossed the broker. */
public final class TopicProbe implements AutoCloseable {
    private final KafkaConsumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> seen = new ArrayList<>();

    private TopicProbe(String bootstrapServers, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "probe-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(topic));
    }

    public static TopicProbe of(String topic) {
        return new TopicProbe(KafkaTestResource.bootstrapServers(), topic);
    }

    /** A probe on another broker than the test resource's (the system tests start their own). */
    public static TopicProbe of(String bootstrapServers, String topic) {
        return new TopicProbe(bootstrapServers, topic);
    }

    /** Waits until the records matching {@code filter} number at least {@code count}; returns them in topic order per partition. */
    public List<ConsumerRecord<String, String>> await(Predicate<ConsumerRecord<String, String>> filter, int count, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            List<ConsumerRecord<String, String>> matching = seen.stream().filter(filter).toList();
            if (matching.size() >= count || Instant.now().isAfter(deadline)) {
                return matching;
            }
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        }
    }

    /** The envelopes about one conversation (the record key), once at least {@code count} of them arrived. */
    public List<Envelope> awaitEnvelopes(String conversationId, int count, Duration timeout) {
        return await(r -> conversationId.equals(r.key()), count, timeout).stream()
                .map(r -> Json.readEnvelope(r.value())).toList();
    }

    /** Reads for a while and returns everything about one conversation: for asserting that nothing else came. */
    public List<Envelope> drain(String conversationId, Duration duration) {
        Instant deadline = Instant.now().plus(duration);
        while (Instant.now().isBefore(deadline)) {
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        }
        return seen.stream().filter(r -> conversationId.equals(r.key())).map(r -> Json.readEnvelope(r.value())).toList();
    }

    private static KafkaProducer<String, String> producer(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    public static void send(String topic, String key, String value) {
        send(KafkaTestResource.bootstrapServers(), topic, key, value);
    }

    public static void send(String bootstrapServers, String topic, String key, String value) {
        try (var producer = producer(bootstrapServers)) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not send to " + topic, e);
        }
    }

    public static void send(String topic, Envelope envelope) {
        sendAll(topic, List.of(envelope));
    }

    /** Sends envelopes keyed by conversation, in order, through one producer; returns when the broker has them all. */
    public static void sendAll(String topic, List<Envelope> envelopes) {
        sendInOrder(envelopes.stream().map(envelope -> new ProducerRecord<>(topic, envelope.subject(), Json.write(envelope))).toList());
    }

    /**
     * Sends raw values under one key, in order, through one producer and one flush, so that they usually arrive in one
     * poll; returns when the broker has them all.
     */
    public static void sendValues(String topic, String key, List<String> values) {
        sendInOrder(values.stream().map(value -> new ProducerRecord<>(topic, key, value)).toList());
    }

    private static void sendInOrder(List<ProducerRecord<String, String>> records) {
        try (var producer = producer(KafkaTestResource.bootstrapServers())) {
            records.forEach(producer::send);
            producer.flush();
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
