package io.switchboard.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.switchboard.contracts.Json;
import io.switchboard.contracts.Topics;

/**
 * One customer message is one trace: the customer's request carries a W3C traceparent, and every record that each
 * service consumes on the way to the AI's answer carries the same trace id; every service exports spans of it.
 */
class TracingTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static SystemUnderTest system;

    @BeforeAll
    static void start() throws Exception {
        system = SystemUnderTest.shared();
    }

    static String traceIdOf(ConsumerRecord<String, String> record) {
        Header header = record.headers().lastHeader("traceparent");
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8).split("-")[1];
    }

    @Test
    void aRecordConsumedByEachServiceCarriesTheTraceOfTheCustomersRequest() throws Exception {
        Api api = new Api();
        JsonNode started = api.post(system.chatUrl() + "/api/conversations", null,
                Map.of("channel", "web", "contact", Map.of("first_name", "Tess"))).ok();
        String id = started.path("id").asText();
        String token = started.path("customer_token").asText();
        byte[] traceBytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(traceBytes);
        String traceId = HexFormat.of().formatHex(traceBytes);
        String marker = UUID.randomUUID().toString();
        try (Socket socket = Socket.open(system.notifierWs(1) + "/ws/conversations/" + id, token)) {
            var request = HttpRequest.newBuilder(URI.create(system.chatUrl() + "/api/conversations/" + id + "/messages"))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                    .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("content", "what are your hours " + marker)))).build();
            assertEquals(201, HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).statusCode());
            assertNotNull(socket.nextMessageFrom("ai", WAIT), "the AI answered");
        }

        // what each service consumed on the way: chat-events (workflow, notifier), ai-commands (ai), chat-commands (chat)
        Map<String, String> traces = new LinkedHashMap<>();
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, system.kafkaBootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "trace-probe-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.CHAT_EVENTS, Topics.AI_COMMANDS, Topics.CHAT_COMMANDS));
            await("the four hops of the trace").atMost(WAIT).pollInterval(Duration.ZERO).until(() -> {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    if (!id.equals(record.key())) {
                        continue;
                    }
                    JsonNode envelope = Json.MAPPER.readTree(record.value());
                    String type = envelope.path("type").asText();
                    String sender = envelope.path("data").path("message").path("sender_type").asText();
                    String name = switch (type) {
                        case "message_received" -> "chat-service REST -> message_received";
                        case "reply_request" -> "workflow-service -> reply_request";
                        case "send_message" -> "ai-service -> send_message";
                        case "message_created" -> "ai".equals(sender) ? "chat-service command -> message_created (ai)" : null;
                        default -> null;
                    };
                    if (name != null) {
                        traces.put(name, traceIdOf(record));
                    }
                }
                return traces.size() >= 4;
            });
        }
        assertEquals(4, traces.size(), "records seen: " + traces);
        traces.forEach((hop, trace) -> assertEquals(traceId, trace, hop + " carries the customer's trace"));

        // and every service exported spans of that trace (the collector gets OTLP protobuf: ids as raw bytes)
        for (String service : List.of("chat-service", "workflow-service", "ai-service", "notifier-service")) {
            await(service + " exported spans of the trace").atMost(WAIT)
                    .until(() -> system.collector().exported(service.getBytes(StandardCharsets.UTF_8), traceBytes));
        }
        // spans leave in batches: the model call's may come in a later one than the first of ai-service
        org.awaitility.Awaitility.await().atMost(WAIT).untilAsserted(() -> assertTrue(
                system.collector().exported("switchboard.ai.model-call".getBytes(StandardCharsets.UTF_8), traceBytes),
                "the model call is a span of the trace"));
    }
}
