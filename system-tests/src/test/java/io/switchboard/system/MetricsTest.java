package io.switchboard.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** The Prometheus metrics of every service move when one customer message flows through the system. */
class MetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static SystemUnderTest system;

    @BeforeAll
    static void start() throws Exception {
        system = SystemUnderTest.shared();
    }

    static String scrape(String service) throws Exception {
        return Prometheus.scrape(system.service(service));
    }

    static double value(String metrics, String name, Map<String, String> labels) {
        return Prometheus.sum(metrics, name, labels);
    }

    record Snapshot(String chat, String workflow, String ai, String notifier) {
        static Snapshot take() throws Exception {
            return new Snapshot(scrape("chat-service"), scrape("workflow-service"), scrape("ai-service"), scrape("notifier-service"));
        }
    }

    static void increased(String before, String after, String name, Map<String, String> labels) {
        double was = value(before, name, labels);
        double now = value(after, name, labels);
        assertTrue(now > was, name + labels + " did not move: " + was + " -> " + now);
    }

    @Test
    void oneMessageMovesTheCountersOfEveryService() throws Exception {
        Snapshot before = Snapshot.take();
        Api api = new Api();
        JsonNode started = api.post(system.chatUrl() + "/api/conversations", null, Map.of("channel", "web", "identity_token",
                io.switchboard.testing.TestKeys.identityToken("user-" + UUID.randomUUID(), "Ivy", Map.of("plan", "premium")))).ok();
        String id = started.path("id").asText();
        String token = started.path("customer_token").asText();
        try (Socket socket = Socket.open(system.notifierWs(1) + "/ws/conversations/" + id, token)) {
            String marker = UUID.randomUUID().toString();
            api.post(system.chatUrl() + "/api/conversations/" + id + "/messages", token, Map.of("content", "I need help " + marker)).ok();
            assertNotNull(socket.nextMessageFrom("ai", WAIT), "the AI answered");
            var forged = HttpRequest.newBuilder(URI.create(system.chatUrl() + "/webhooks/telegram"))
                    .header("Content-Type", "application/json").header("X-Telegram-Bot-Api-Secret-Token", "forged")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"update_id\": 1}")).build();
            assertEquals(403, HTTP.send(forged, HttpResponse.BodyHandlers.discarding()).statusCode());

            Snapshot after = Snapshot.take();
            // kept for a reader who wants to see every metric a service exposes
            java.nio.file.Files.createDirectories(java.nio.file.Path.of("target/metrics"));
            for (var entry : Map.of("chat-service", after.chat(), "workflow-service", after.workflow(), "ai-service", after.ai(),
                    "notifier-service", after.notifier()).entrySet()) {
                java.nio.file.Files.writeString(java.nio.file.Path.of("target/metrics", entry.getKey() + ".txt"), entry.getValue());
            }
            increased(before.chat(), after.chat(), "switchboard_messages_in_total", Map.of("channel", "web"));
            increased(before.chat(), after.chat(), "switchboard_messages_out_total", Map.of("channel", "web", "sender", "ai"));
            increased(before.chat(), after.chat(), "switchboard_messages_out_total", Map.of("channel", "web", "sender", "workflow"));
            increased(before.chat(), after.chat(), "switchboard_events_published_total", Map.of("type", "message_received"));
            increased(before.chat(), after.chat(), "switchboard_webhook_rejections_total", Map.of("channel", "telegram", "reason", "bad_credential"));
            assertTrue(after.chat().contains("switchboard_outbox_backlog"), "outbox backlog gauge");
            increased(before.workflow(), after.workflow(), "switchboard_workflow_executions_total",
                    Map.of("workflow", "Premium support", "outcome", "succeeded"));
            increased(before.workflow(), after.workflow(), "switchboard_workflow_actions_total", Map.of("type", "send_message", "outcome", "sent"));
            increased(before.ai(), after.ai(), "switchboard_ai_replies_total", Map.of("outcome", "answered"));
            increased(before.ai(), after.ai(), "switchboard_ai_model_call_seconds_count", Map.of("provider", "openai", "result", "ok"));
            assertTrue(after.ai().contains("switchboard_ai_model_call_seconds_bucket"), "model latency histogram");
            // the question was new: embedded, and what that cost in CPU counted
            increased(before.ai(), after.ai(), "switchboard_ai_embedding_cpu_seconds_count", Map.of());
            increased(before.ai(), after.ai(), "switchboard_ai_embedding_cpu_seconds_sum", Map.of());
            assertTrue(value(after.notifier(), "switchboard_ws_connections", Map.of()) >= 1, "open sockets gauge");
            // Kafka clients, one per channel (client_id names the channel, so the topic): records in and out, lag
            increased(before.workflow(), after.workflow(), "kafka_consumer_fetch_manager_records_consumed_total", Map.of());
            assertTrue(after.workflow().contains("kafka_consumer_fetch_manager_records_lag_max{client_id=\"kafka-consumer-chat-events-in"),
                    "consumer lag per channel");
            increased(before.ai(), after.ai(), "kafka_producer_record_send_total", Map.of("client_id", "kafka-producer-chat-commands-out"));
        }
    }

    /**
     * The serial collector raises its class-metadata threshold with full collections, 200 to 400 ms each here, three
     * or four as a service starts and later ones under load, unless the threshold starts above what the service loads
     * (SystemUnderTest, as the container image, starts it at 256 MB).
     */
    @Test
    void noServiceStopsForAFullCollectionOverItsClassMetadata() throws Exception {
        Snapshot now = Snapshot.take();
        for (var entry : Map.of("chat-service", now.chat(), "workflow-service", now.workflow(), "ai-service", now.ai(),
                "notifier-service", now.notifier()).entrySet()) {
            assertTrue(value(entry.getValue(), "jvm_gc_pause_seconds_count", Map.of()) > 0, entry.getKey() + " reports its pauses");
            assertEquals(0, value(entry.getValue(), "jvm_gc_pause_seconds_count", Map.of("cause", "Metadata GC Threshold")),
                    entry.getKey() + " paused for a full collection over its class metadata");
        }
    }
}
