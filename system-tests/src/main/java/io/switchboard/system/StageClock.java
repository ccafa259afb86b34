package io.switchboard.system;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.switchboard.contracts.CommandType;
import io.switchboard.contracts.EventType;
import io.switchboard.contracts.Json;
import io.switchboard.contracts.Topics;

/**
 * Where the time of one customer message goes: reads every topic the message crosses and takes each record's
 * CreateTime (the producer's clock, the same wall clock as this JVM's: everything runs on one machine), matched to
 * the message by the token in its text. Stages: POST → {@code message_received} on chat-events (chat-service stores
 * it and the relay publishes it), → {@code reply_request} on ai-commands (workflow-service), → {@code send_message}
 * on chat-commands (ai-service), → {@code message_created} of the answer (chat-service again), → the customer's socket
 * (notifier-service). Millisecond resolution: enough to see which stage holds a backlog.
 */
final class StageClock implements AutoCloseable {
    static final List<String> STAGES = List.of("chat-service: POST -> message_received", "workflow-service: -> reply_request",
            "ai-service: -> send_message", "chat-service: -> answer's message_created", "notifier-service: -> socket");
    /** How every benchmark message starts (then a token that names it). */
    static final String PREFIX = "bench ";
    private static final Pattern TOKEN = Pattern.compile(PREFIX + "([0-9a-f-]{36})");

    /** Per message token: wall-clock millis of POST, the four records, the socket frame (0 = not seen yet). */
    private final Map<String, long[]> marks = new ConcurrentHashMap<>();
    private final KafkaConsumer<String, String> consumer;
    private final Thread poller;
    private volatile boolean running = true;

    StageClock(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "benchmark-stages-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(Topics.CHAT_EVENTS, Topics.AI_COMMANDS, Topics.CHAT_COMMANDS));
        while (consumer.assignment().isEmpty()) {
            consumer.poll(Duration.ofMillis(100));
        }
        poller = Thread.ofPlatform().name("benchmark-stages").daemon().start(this::poll);
    }

    /** The token that the benchmark puts in a message's text, and that the stub model's answer repeats. */
    static String newContent() {
        return PREFIX + UUID.randomUUID();
    }

    void posted(String content) {
        mark(content, 0, System.currentTimeMillis());
    }

    void delivered(String content) {
        mark(content, 5, System.currentTimeMillis());
    }

    private void mark(String text, int stage, long millis) {
        Matcher token = TOKEN.matcher(text);
        if (token.find()) {
            marks.computeIfAbsent(token.group(1), t -> new long[6])[stage] = millis;
        }
    }

    private void poll() {
        try {
            while (running) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    int stage = stageOf(record);
                    if (stage > 0) {
                        var envelope = Json.readEnvelope(record.value());
                        mark(envelope.text("content"), stage, record.timestamp());
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (Exception e) {
            System.err.println("stage clock stopped: " + e);
        }
    }

    private static int stageOf(ConsumerRecord<String, String> record) {
        String value = record.value();
        return switch (record.topic()) {
            case Topics.CHAT_EVENTS -> value.contains("\"" + EventType.MESSAGE_RECEIVED.wire() + "\"") ? 1
                    : value.contains("\"" + EventType.MESSAGE_CREATED.wire() + "\"") && value.contains("Stub answer to: bench") ? 4 : 0;
            case Topics.AI_COMMANDS -> value.contains("\"" + CommandType.REPLY_REQUEST.wire() + "\"") ? 2 : 0;
            case Topics.CHAT_COMMANDS -> value.contains("\"" + CommandType.SEND_MESSAGE.wire() + "\"") ? 3 : 0;
            default -> 0;
        };
    }

    /** Percentiles of each stage over the messages seen end to end since the last {@link #clear()}. */
    Map<String, Benchmark.Percentiles> stages() {
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

    void clear() {
        marks.clear();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        poller.join(5_000);
        consumer.close();
    }
}
