package io.switchboard.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.switchboard.contracts.Json;

/**
 * Crashes under load: a process is killed (SIGKILL) while customer messages are in flight, and started again. Then
 * every customer message is stored once and its AI answer reaches the customer's socket exactly once. Customers
 * retry a POST that failed, with the same Idempotency-Key, as the widget would. The system here is this class's own.
 */
class FaultTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static SystemUnderTest system;

    @FunctionalInterface
    interface Fault {
        void inject() throws Exception;
    }

    @BeforeAll
    static void start() throws Exception {
        system = SystemUnderTest.start(1);
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    record Customer(String id, String token, Socket socket, List<String> sent) {
    }

    /** POSTs a message until it is accepted; the same key makes a retry of a stored message a no-op. */
    static void say(Customer customer, String content) throws InterruptedException {
        String key = UUID.randomUUID().toString();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                var request = HttpRequest.newBuilder(URI.create(system.chatUrl() + "/api/conversations/" + customer.id() + "/messages"))
                        .header("Content-Type", "application/json").header("Authorization", "Bearer " + customer.token())
                        .header("Idempotency-Key", key).timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("content", content)))).build();
                if (HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 201) {
                    customer.sent().add(content);
                    return;
                }
            } catch (IOException e) {
                // chat-service is down: try again
            }
            Thread.sleep(250);
        }
        throw new AssertionError("could not send " + content);
    }

    /** Runs a load of customer messages and injects the fault once a third of them is out; checks exactly-once. */
    void underLoad(String label, Fault fault) throws Exception {
        Api api = new Api();
        Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
        List<Customer> customers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            JsonNode started = api.post(system.chatUrl() + "/api/conversations", null,
                    Map.of("channel", "web", "contact", Map.of("first_name", label + i))).ok();
            String id = started.path("id").asText();
            String token = started.path("customer_token").asText();
            Socket socket = Socket.open(system.notifierWs(1) + "/ws/conversations/" + id + "?token=" + token, frame -> {
                if ("message.created".equals(frame.path("type").asText())
                        && "ai".equals(frame.path("data").path("message").path("sender_type").asText())) {
                    answers.computeIfAbsent(frame.path("data").path("content").asText(), k -> new AtomicInteger()).incrementAndGet();
                }
            });
            customers.add(new Customer(id, token, socket, java.util.Collections.synchronizedList(new ArrayList<>())));
        }
        int total = 36;
        Thread faults = null;
        for (int i = 0; i < total; i++) {
            if (i == total / 3) {
                faults = Thread.ofPlatform().start(() -> {
                    try {
                        fault.inject();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
            }
            Customer customer = customers.get(i % customers.size());
            say(customer, label + " question " + i + " " + UUID.randomUUID());
            Thread.sleep(100);
        }
        faults.join();

        List<String> sent = customers.stream().flatMap(c -> c.sent().stream()).toList();
        assertEquals(total, sent.size());
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (sent.stream().anyMatch(s -> !answers.containsKey("Stub answer to: " + s)) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        Thread.sleep(2_000); // late duplicates, if any, would arrive now
        for (String content : sent) {
            AtomicInteger count = answers.get("Stub answer to: " + content);
            assertEquals(1, count == null ? 0 : count.get(), "answers on the socket to: " + content);
        }
        for (Customer customer : customers) {
            JsonNode messages = api.get(system.chatUrl() + "/api/conversations/" + customer.id() + "/messages?size=200",
                    SystemUnderTest.AGENT_TOKEN).ok().path("items");
            int customerMessages = 0;
            int aiMessages = 0;
            for (JsonNode message : messages) {
                customerMessages += "customer".equals(message.path("sender_type").asText()) ? 1 : 0;
                aiMessages += "ai".equals(message.path("sender_type").asText()) ? 1 : 0;
            }
            assertEquals(customer.sent().size(), customerMessages, "customer messages stored once in " + customer.id());
            assertEquals(customer.sent().size(), aiMessages, "AI answers stored once in " + customer.id());
            customer.socket().close();
        }
    }

    static Fault crash(String service) {
        return () -> {
            system.kill(service);
            Thread.sleep(2_000);
            system.restart(service);
        };
    }

    @Test
    void aiServiceKilledMidLoad() throws Exception {
        underLoad("ai-crash", crash("ai-service"));
    }

    @Test
    void workflowServiceKilledMidLoad() throws Exception {
        underLoad("workflow-crash", crash("workflow-service"));
    }

    @Test
    void chatServiceKilledMidLoad() throws Exception {
        underLoad("chat-crash", crash("chat-service"));
    }

    @Test
    void kafkaBrokerKilledMidLoad() throws Exception {
        underLoad("kafka-crash", () -> {
            system.killKafka();
            Thread.sleep(3_000);
            system.restartKafka();
        });
        assertTrue(system.service("chat-service").process().isAlive(), "the services rode it out");
    }
}
