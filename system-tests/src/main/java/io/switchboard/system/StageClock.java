package io.switchboard.system;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.JsonNode;

import io.switchboard.contracts.CommandType;
import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.EventType;
import io.switchboard.contracts.Json;
import io.switchboard.contracts.SenderType;
import io.switchboard.contracts.Topics;

/**
 * Where the time of one customer message goes: reads every topic the message crosses and takes each record's
 * CreateTime (the producer's clock, the same wall clock as this JVM's: everything runs on one machine), matched to
 * the message by the token in its text (the question's records) or by the id of the question's message (the answer's,
 * whatever the provider answered). Stages: POST → {@code message_received} on chat-events (chat-service stores
 * it and the relay publishes it), → {@code reply_request} on ai-commands (workflow-service), → {@code send_message}
 * on chat-commands (ai-service), → {@code message_created} of the answer (chat-service again), → the customer's socket
 * (notifier-service). Millisecond resolution: enough to see which stage holds a backlog.
 *
 * <p>The records are read once the step is over, from where the topics ended when it began: their CreateTime is in
 * the log, so reading them live would only add a consumer's fetches to the broker and its CPU to this JVM while the
 * step's CPU is measured (about 1 ms a message here, on the same two cores as the system).
 */
final class StageClock implements AutoCloseable {
    static final List<String> STAGES = List.of("chat-service: POST -> message_received", "workflow-service: -> reply_request",
            "ai-service: -> send_message", "chat-service: -> answer's message_created", "notifier-service: -> socket");
    /** How every benchmark message starts (then a token that names it). */
    static final String PREFIX = "bench ";
    private static final Pattern TOKEN = Pattern.compile(PREFIX + "([0-9a-f-]{36})");
    private static final List<String> TOPICS = List.of(Topics.CHAT_EVENTS, Topics.AI_COMMANDS, Topics.CHAT_COMMANDS);

    /** The token of each question seen in this step, by its message's id. */
    private final Map<String, String> tokenOfMessage = new ConcurrentHashMap<>();
    /** Per message token: wall-clock millis of POST, the four records, the socket frame (0 = not seen yet). */
    private final Map<String, long[]> marks = new ConcurrentHashMap<>();
    /** Used by the thread that reads the stages only (a consumer is not thread-safe), with no group: it commits nothing. */
    private final KafkaConsumer<String, String> consumer;
    private final List<TopicPartition> partitions = new ArrayList<>();
    /** Where the next read starts, per partition: where the topics ended at the last {@link #clear()} or read. */
    private Map<TopicPartition, Long> readFrom;

    StageClock(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (String topic : TOPICS) {
            // a topic the services' consumers have just created may not be in the metadata yet
            var found = consumer.partitionsFor(topic);
            while (found.isEmpty() && System.nanoTime() < deadline) {
                found = consumer.partitionsFor(topic);
            }
            if (found.isEmpty()) {
                throw new IllegalStateException("the stage clock found no partitions of " + topic);
            }
            found.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        consumer.assign(partitions);
        readFrom = consumer.endOffsets(partitions);
    }

    /** The token that the benchmark puts in a message's text, and that the stub model's answer repeats. */
    static String newContent() {
        return PREFIX + UUID.randomUUID();
    }

    /** Marks the message as posted now; returns the time marked. */
    long posted(String content) {
        long now = System.currentTimeMillis();
        mark(content, 0, now);
        return now;
    }

    void delivered(String content) {
        mark(content, 5, System.currentTimeMillis());
    }

    private void mark(String text, int stage, long millis) {
        Matcher token = TOKEN.matcher(text);
        if (token.find()) {
            markToken(token.group(1), stage, millis);
        }
    }

    private void markToken(String token, int stage, long millis) {
        marks.computeIfAbsent(token, t -> new long[6])[stage] = millis;
    }

    /** The records written since the last read, up to where the topics end now. */
    private void read() {
        Map<TopicPartition, Long> until = consumer.endOffsets(partitions);
        readFrom.forEach(consumer::seek);
        // the answer's records name the question's message (metadata.reply_to), not its text: a provider's answer need
        // not repeat the question, so they are matched once every record of the read is in
        List<Answered> answers = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (partitions.stream().anyMatch(p -> consumer.position(p) < until.get(p)) && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.offset() >= until.get(new TopicPartition(record.topic(), record.partition()))) {
                    continue;
                }
                Envelope envelope;
                try {
                    envelope = Json.readEnvelope(record.value());
                } catch (IllegalArgumentException notAnEnvelope) {
                    continue; // no stage of any message (the services send it to a dead-letter topic)
                }
                JsonNode data = envelope.data() == null ? Json.object() : envelope.data();
                switch (stageOf(record.topic(), envelope.type(), data)) {
                    case 1 -> {
                        mark(envelope.text("content"), 1, record.timestamp());
                        Matcher token = TOKEN.matcher(envelope.text("content"));
                        if (token.find()) {
                            tokenOfMessage.put(data.path("message").path("id").asText(), token.group(1));
                        }
                    }
                    case 2 -> mark(envelope.text("content"), 2, record.timestamp());
                    case 3 -> answers.add(new Answered(data.path("metadata").path("reply_to").asText(), 3, record.timestamp()));
                    case 4 -> answers.add(new Answered(data.path("message").path("metadata").path("reply_to").asText(), 4,
                            record.timestamp()));
                    default -> {
                    }
                }
            }
        }
        for (Answered answer : answers) {
            String token = tokenOfMessage.get(answer.questionId());
            if (token != null) {
                markToken(token, answer.stage(), answer.createTime());
            }
        }
        readFrom = until;
    }

    /** A record of a question's answer, by the id of the question's message. */
    private record Answered(String questionId, int stage, long createTime) {
    }

    private static int stageOf(String topic, String type, JsonNode data) {
        return switch (topic) {
            case Topics.CHAT_EVENTS -> EventType.MESSAGE_RECEIVED.wire().equals(type) ? 1
                    : EventType.MESSAGE_CREATED.wire().equals(type)
                            && SenderType.AI.wire().equals(data.path("message").path("sender_type").asText()) ? 4 : 0;
            case Topics.AI_COMMANDS -> CommandType.REPLY_REQUEST.wire().equals(type) ? 2 : 0;
            case Topics.CHAT_COMMANDS -> CommandType.SEND_MESSAGE.wire().equals(type) ? 3 : 0;
            default -> 0;
        };
    }

    /** Percentiles of each stage over the messages seen end to end since the last {@link #clear()}. */
    Map<String, Benchmark.Percentiles> stages() {
        read();
        Map<String, List<Double>> spans = new LinkedHashMap<>();
        STAGES.forEach(name -> spans.put(name, new ArrayList<>()));
        for (long[] m : marks.values()) {
            if (java.util.Arrays.stream(m).allMatch(t -> t > 0)) {
                for (int i = 0; i < STAGES.size(); i++) {
                    spans.get(STAGES.get(i)).add((double) (m[i + 1] - m[i]));
                }
            }
        }
        Map<String, Benchmark.Percentiles> result = new LinkedHashMap<>();
        spans.forEach((name, values) -> result.put(name, Benchmark.Percentiles.of(values)));
        return result;
    }

    /** Forgets the messages seen so far; the next read starts where the topics end now. */
    void clear() {
        marks.clear();
        tokenOfMessage.clear();
        readFrom = consumer.endOffsets(partitions);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
