package io.switchboard.system;

import static org.awaitility.Awaitility.await;
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
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.switchboard.contracts.Json;
import io.switchboard.contracts.Topics;
import io.switchboard.testing.TopicProbe;

/**
 * Crashes under load: a process is killed (SIGKILL) while customer messages are in flight, and started again. Then
 * every customer message is stored once and its AI answer reaches the customer's socket exactly once. Customers
 * retry a POST that failed, with the same Idempotency-Key, as the widget would. The system here is this class's own.
 */
class FaultTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static SystemUnderTest system;
    /** ai-service's circuit breaker lets a call through this soon after it opened: the model-trouble case waits it out. */
    private static final Duration BREAKER_DELAY = Duration.ofSeconds(2);

    @FunctionalInterface
    interface Fault {
        void inject() throws Exception;
    }

    @BeforeAll
    static void start() throws Exception {
        // a short model timeout: the slow-model case costs seconds, not minutes
        system = SystemUnderTest.start(1, Map.of("SWITCHBOARD_AI_TIMEOUT", "PT1S", "SWITCHBOARD_AI_BREAKER_DELAY_MS",
                Long.toString(BREAKER_DELAY.toMillis())));
    }

    @AfterAll
    static void stop() throws Exception {
        LocalServices.ensureUp();
        if (system != null) {
            system.close();
        }
    }

    record Customer(String id, String token, Socket socket, List<String> sent) {
    }

    /** Every status other than 201 that a customer's POST got, across the test: what clients saw during the faults. */
    static final List<Integer> refusals = java.util.Collections.synchronizedList(new ArrayList<>());

    /** POSTs a message until it is accepted; the same key makes a retry of a stored message a no-op. */
    static void say(Customer customer, String content) throws InterruptedException {
        String key = UUID.randomUUID().toString();
        await("sending " + content).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
            try {
                var request = HttpRequest.newBuilder(URI.create(system.chatUrl() + "/api/conversations/" + customer.id() + "/messages"))
                        .header("Content-Type", "application/json").header("Authorization", "Bearer " + customer.token())
                        .header("Idempotency-Key", key).timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("content", content)))).build();
                int status = HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 201) {
                    customer.sent().add(content);
                    return true;
                }
                refusals.add(status);
            } catch (IOException e) {
                // chat-service is down: try again
            }
            return false;
        });
    }

    /** Starts a web conversation and opens its customer socket; {@code onAiMessage} gets each AI message frame. */
    static Customer openCustomer(Api api, String name, java.util.function.Consumer<JsonNode> onAiMessage) {
        JsonNode started = api.post(system.chatUrl() + "/api/conversations", null,
                Map.of("channel", "web", "contact", Map.of("first_name", name))).ok();
        String id = started.path("id").asText();
        String token = started.path("customer_token").asText();
        Socket socket = Socket.open(system.notifierWs(1) + "/ws/conversations/" + id, token, frame -> {
            if ("message.created".equals(frame.path("type").asText())
                    && "ai".equals(frame.path("data").path("message").path("sender_type").asText())) {
                onAiMessage.accept(frame);
            }
        });
        return new Customer(id, token, socket, java.util.Collections.synchronizedList(new ArrayList<>()));
    }

    /** Counts AI answers by their text: "Stub answer to: <question>" from the stub model. */
    static java.util.function.Consumer<JsonNode> countInto(Map<String, AtomicInteger> answers) {
        return frame -> answers.computeIfAbsent(frame.path("data").path("content").asText(), k -> new AtomicInteger()).incrementAndGet();
    }

    List<Customer> underLoad(String label, Fault fault) throws Exception {
        return underLoad(label, Set.of(), fault);
    }

    /**
     * Runs a load of customer messages and injects the fault once a third of them is out; checks exactly-once. The
     * customers numbered in {@code aiOff} have had the AI switched off by an agent first: they must get no answer at all.
     */
    List<Customer> underLoad(String label, Set<Integer> aiOff, Fault fault) throws Exception {
        return underLoad(label, aiOff, fault, false);
    }

    /**
     * As {@link #underLoad(String, Set, Fault)}; with {@code throughout}, the load goes on until the fault is over (at
     * least 36 messages), and each customer must get the answers in the order of the questions.
     */
    List<Customer> underLoad(String label, Set<Integer> aiOff, Fault fault, boolean throughout) throws Exception {
        Api api = new Api();
        Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
        List<Customer> customers = new ArrayList<>();
        List<List<String>> answerOrder = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
            answerOrder.add(order);
            Customer customer = openCustomer(api, label + i, countInto(answers).andThen(frame -> order.add(frame.path("data").path("content").asText())));
            String id = customer.id();
            customers.add(customer);
            if (aiOff.contains(i)) {
                assertEquals(false, api.post(system.aiUrl() + "/api/conversations/" + id + "/ai", SystemUnderTest.AGENT_TOKEN,
                        Map.of("action", "disable")).ok().path("ai_enabled").asBoolean(true));
            }
        }
        int total = 36;
        Thread faults = null;
        for (int i = 0; i < total || throughout && faults.isAlive(); i++) {
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

        assertTrue(customers.stream().mapToInt(c -> c.sent().size()).sum() >= total);
        List<String> sent = new ArrayList<>();
        List<String> unanswerable = new ArrayList<>();
        for (int i = 0; i < customers.size(); i++) {
            (aiOff.contains(i) ? unanswerable : sent).addAll(customers.get(i).sent());
        }
        await("every answer on its socket").atMost(Duration.ofSeconds(90))
                .until(() -> sent.stream().allMatch(s -> answers.containsKey("Stub answer to: " + s)));
        // late duplicates, if any, would arrive now
        await("no second answer").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .until(() -> answers.values().stream().allMatch(count -> count.get() <= 1));
        for (String content : sent) {
            AtomicInteger count = answers.get("Stub answer to: " + content);
            assertEquals(1, count == null ? 0 : count.get(), "answers on the socket to: " + content);
        }
        for (String content : unanswerable) {
            assertEquals(null, answers.get("Stub answer to: " + content), "the AI is off, yet it answered: " + content);
            assertEquals(List.of(), system.model().requestsAsking(content), "the AI is off, yet the model was asked: " + content);
        }
        for (int i = 0; i < customers.size(); i++) {
            Customer customer = customers.get(i);
            JsonNode messages = api.get(system.chatUrl() + "/api/conversations/" + customer.id() + "/messages?size=200",
                    SystemUnderTest.AGENT_TOKEN).ok().path("items");
            int customerMessages = 0;
            int aiMessages = 0;
            for (JsonNode message : messages) {
                customerMessages += "customer".equals(message.path("sender_type").asText()) ? 1 : 0;
                aiMessages += "ai".equals(message.path("sender_type").asText()) ? 1 : 0;
            }
            assertEquals(customer.sent().size(), customerMessages, "customer messages stored once in " + customer.id());
            assertEquals(aiOff.contains(i) ? 0 : customer.sent().size(), aiMessages, "AI answers stored once in " + customer.id());
            if (throughout && !aiOff.contains(i)) {
                assertEquals(customer.sent().stream().map(s -> "Stub answer to: " + s).toList(), answerOrder.get(i),
                        "the answers in the order of the questions in " + customer.id());
            }
            customer.socket().close();
        }
        return customers;
    }

    static Fault crash(String service) {
        return () -> {
            system.kill(service);
            Thread.sleep(2_000);
            system.restart(service);
        };
    }

    /** Stops a service as an orchestrator does (SIGTERM: its consumers finish what they hold and leave) and starts it again. */
    static Fault stopped(String service) {
        return () -> {
            system.stop(service);
            system.restart(service);
        };
    }

    /**
     * Two replicas of every service share the load; one replica of each is killed in turn and started again while
     * customers keep writing, then one of each is stopped in turn (as a rolling update does) and started again. Every
     * message is stored, answered and pushed once, in order, through the rebalances.
     */
    @Test
    void oneReplicaOfEachServiceKilledThenStoppedInTurnWhileTwoOfEachShareTheLoad() throws Exception {
        List<String> modules = List.of("chat-service", "workflow-service", "ai-service", "notifier-service");
        everyAtOnce(modules, module -> system.startReplica(module, module + "-2", Map.of()));
        try {
            underLoad("scale-out", Set.of(), () -> {
                for (String module : modules) {
                    crash(module + "-2").inject();
                    // the others take its partitions; then it rejoins and takes some back
                    Thread.sleep(3_000);
                }
            }, true);
            // a stopped replica's consumers leave all at once, with what they held finished and committed
            underLoad("rolling", Set.of(), () -> {
                for (String module : modules) {
                    stopped(module + "-2").inject();
                    Thread.sleep(3_000);
                }
            }, true);
        } finally {
            everyAtOnce(modules, module -> system.stop(module + "-2"));
        }
    }

    @FunctionalInterface
    interface Step {
        void on(String module) throws Exception;
    }

    /** Runs the step for every module side by side (starting or stopping replicas), and waits for all of them. */
    static void everyAtOnce(List<String> modules, Step step) throws Exception {
        List<java.util.concurrent.Future<?>> running = new ArrayList<>();
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (String module : modules) {
                running.add(threads.submit(() -> {
                    step.on(module);
                    return null;
                }));
            }
            for (var future : running) {
                future.get();
            }
        }
    }

    @Test
    void aiServiceKilledMidLoad() throws Exception {
        underLoad("ai-crash", crash("ai-service"));
    }

    @Test
    void aWaitingWorkflowSurvivesAWorkflowServiceCrashAndRunsItsRestOnce() throws Exception {
        Api api = new Api();
        String keyword = "patience" + System.nanoTime();
        String workflowId = api.post(system.workflowUrl() + "/api/workflows", SystemUnderTest.AGENT_TOKEN, Json.MAPPER.readTree("""
                {"name": "Patience", "trigger": {"when_type": "receive_message", "keywords": ["%s"]},
                 "actions": [{"action_type": "wait", "seconds": 8},
                             {"action_type": "send_message", "message": "Thanks for waiting, {{user.first_name}}"}]}""".formatted(keyword)))
                .ok().path("id").asText();
        try {
            Map<String, AtomicInteger> messages = new ConcurrentHashMap<>();
            JsonNode started = api.post(system.chatUrl() + "/api/conversations", null,
                    Map.of("channel", "web", "contact", Map.of("first_name", "Pat"))).ok();
            Customer customer = new Customer(started.path("id").asText(), started.path("customer_token").asText(),
                    Socket.open(system.notifierWs(1) + "/ws/conversations/" + started.path("id").asText(),
                            started.path("customer_token").asText(), frame -> {
                                if ("message.created".equals(frame.path("type").asText())
                                        && "workflow".equals(frame.path("data").path("message").path("sender_type").asText())) {
                                    countInto(messages).accept(frame);
                                }
                            }), java.util.Collections.synchronizedList(new ArrayList<>()));
            say(customer, "please wait " + keyword);
            // the execution waits (stored in PostgreSQL) when workflow-service dies; another start takes it up
            await("the execution waits").atMost(Duration.ofSeconds(30)).until(() -> "waiting".equals(api.get(system.workflowUrl()
                    + "/api/workflows/" + workflowId + "/executions", SystemUnderTest.AGENT_TOKEN).ok().path(0).path("outcome").asText()));
            crash("workflow-service").inject();
            await("the rest of the workflow after the restart").atMost(Duration.ofSeconds(60))
                    .until(() -> messages.containsKey("Thanks for waiting, Pat"));
            await("sent once").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4))
                    .until(() -> messages.get("Thanks for waiting, Pat").get() == 1);
            assertEquals("succeeded", api.get(system.workflowUrl() + "/api/workflows/" + workflowId + "/executions",
                    SystemUnderTest.AGENT_TOKEN).ok().path(0).path("outcome").asText());
            customer.socket().close();
        } finally {
            api.delete(system.workflowUrl() + "/api/workflows/" + workflowId, SystemUnderTest.AGENT_TOKEN);
        }
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

    @Test
    void redisRestartedEmptyMidLoadKeepsDisabledBotsDisabled() throws Exception {
        Set<Integer> aiOff = Set.of(0, 2, 4);
        List<Customer> customers = underLoad("redis-restart", aiOff, LocalServices::restartRedisEmpty);
        // ai-service rebuilt the flushed keys from its durable copy, switched off as the agent left them
        for (int i : aiOff) {
            String control = Redis.get("ai_control_" + customers.get(i).id());
            assertTrue(control != null && Json.MAPPER.readTree(control).path("ai_enabled").asBoolean(true) == false,
                    "ai_control_ after the flush: " + control);
        }
    }

    @Test
    void postgresUnavailableMidLoadRefusesCleanlyThenRecovers() throws Exception {
        refusals.clear();
        underLoad("pg-outage", () -> {
            LocalServices.stopPostgres();
            try {
                Thread.sleep(4_000);
            } finally {
                LocalServices.startPostgres();
            }
        });
        // while the database was down customers were told to try again (503), never an internal error
        assertTrue(refusals.contains(503), "no POST was refused with 503 during the outage: " + refusals);
        assertTrue(refusals.stream().allMatch(status -> status == 503), "statuses during the outage: " + refusals);
    }

    @Test
    void modelFailingReturningGarbageOrSlowGetsOneFallbackEachAndRecovers() throws Exception {
        Api api = new Api();
        Map<String, AtomicInteger> aiFrames = new ConcurrentHashMap<>();
        Map<String, Customer> customers = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            Customer customer = openCustomer(api, "model-trouble" + i,
                    frame -> aiFrames.computeIfAbsent(frame.path("conversation_id").asText(), k -> new AtomicInteger()).incrementAndGet());
            customers.put(customer.id(), customer);
        }
        Map<String, Fault> troubles = new java.util.LinkedHashMap<>();
        troubles.put("failing", () -> system.model().status(500));
        troubles.put("garbage", () -> system.model().garbage(true));
        troubles.put("slow", () -> system.model().delay(2_500)); // over the 1 s timeout
        int troubled = 0;
        try {
            for (var trouble : troubles.entrySet()) {
                // a circuit breaker opened by the last trouble lets a call through after its delay: each trouble meets
                // the model for real (were the setting ignored, the breaker would stay open for seconds more)
                system.model().reset();
                Thread.sleep(BREAKER_DELAY.plusSeconds(1).toMillis());
                trouble.getValue().inject();
                List<String> contents = new ArrayList<>();
                for (int round = 0; round < 2; round++) {
                    for (Customer customer : customers.values()) {
                        String content = "model " + trouble.getKey() + " " + troubled++ + " " + UUID.randomUUID();
                        say(customer, content);
                        contents.add(content);
                    }
                }
                // every troubled message gets its one answer, the fallback, and the consumer does not stick on any
                awaitAiMessages(api, customers.values(), Duration.ofSeconds(60));
                assertTrue(contents.stream().anyMatch(c -> !system.model().requestsAsking(c).isEmpty()),
                        "the " + trouble.getKey() + " model was called");
            }
        } finally {
            system.model().reset();
        }
        Thread.sleep(BREAKER_DELAY.plusSeconds(1).toMillis());
        List<String> after = new ArrayList<>();
        for (Customer customer : customers.values()) {
            String content = "model back " + UUID.randomUUID();
            say(customer, content);
            after.add(content);
        }
        awaitAiMessages(api, customers.values(), Duration.ofSeconds(60));

        int fallbacks = 0;
        for (Customer customer : customers.values()) {
            JsonNode messages = api.get(system.chatUrl() + "/api/conversations/" + customer.id() + "/messages?size=200",
                    SystemUnderTest.AGENT_TOKEN).ok().path("items");
            Set<String> customerIds = new java.util.HashSet<>();
            List<String> repliedTo = new ArrayList<>();
            for (JsonNode message : messages) {
                if ("customer".equals(message.path("sender_type").asText())) {
                    customerIds.add(message.path("id").asText());
                } else if ("ai".equals(message.path("sender_type").asText())) {
                    repliedTo.add(message.path("metadata").path("reply_to").asText());
                    fallbacks += "fallback".equals(message.path("metadata").path("outcome").asText()) ? 1 : 0;
                }
            }
            assertEquals(customer.sent().size(), customerIds.size(), "customer messages stored once in " + customer.id());
            assertEquals(customerIds, new java.util.HashSet<>(repliedTo), "one AI message for each customer message");
            assertEquals(repliedTo.size(), new java.util.HashSet<>(repliedTo).size(), "no customer message answered twice");
            // stored first, pushed after: the last frame may still be on its way when the API shows the message
            await("AI frames on the socket of " + customer.id()).atMost(Duration.ofSeconds(10))
                    .until(() -> aiFrames.get(customer.id()).get() >= customer.sent().size());
            assertEquals(customer.sent().size(), aiFrames.get(customer.id()).get(), "AI frames on the socket of " + customer.id());
            assertTrue(api.get(system.chatUrl() + "/api/conversations/" + customer.id(), SystemUnderTest.AGENT_TOKEN).ok()
                    .path("tags").toString().contains("needs_human"), "a fallback flags the conversation for a person");
            customer.socket().close();
        }
        assertEquals(troubled, fallbacks, "every message sent while the model was in trouble got the fallback");
        for (String content : after) {
            assertEquals(1, system.model().requestsAsking(content).size(), "the model was asked again once it was back: " + content);
        }
    }

    /** Waits until every customer message of these customers has an AI message stored in reply. */
    private static void awaitAiMessages(Api api, java.util.Collection<Customer> customers, Duration timeout) throws InterruptedException {
        await("an AI message for every customer message").atMost(timeout).pollInterval(Duration.ofMillis(500)).until(() -> {
            boolean all = true;
            for (Customer customer : customers) {
                JsonNode messages = api.get(system.chatUrl() + "/api/conversations/" + customer.id() + "/messages?size=200",
                        SystemUnderTest.AGENT_TOKEN).ok().path("items");
                int ai = 0;
                for (JsonNode message : messages) {
                    ai += "ai".equals(message.path("sender_type").asText()) ? 1 : 0;
                }
                all &= ai >= customer.sent().size();
            }
            return all;
        });
    }

    @Test
    void aPoisonRecordOnEachTopicGoesToItsDeadLetterTopicAndThePartitionMovesOn() throws Exception {
        Api api = new Api();
        Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
        Customer customer = openCustomer(api, "Poisoned", countInto(answers));
        String id = customer.id();
        String marker = "poison-" + UUID.randomUUID();
        String bootstrap = system.kafkaBootstrapServers();
        // keyed by the live conversation: the same partition its next message takes
        for (String topic : List.of(Topics.CHAT_EVENTS, Topics.AI_COMMANDS, Topics.CHAT_COMMANDS)) {
            TopicProbe.send(bootstrap, topic, id, "{\"not json\": " + marker);
        }
        // well-formed envelopes that are not valid commands: a customer message forged as a command, a control without action
        TopicProbe.send(bootstrap, Topics.CHAT_COMMANDS, id, Json.write(io.switchboard.contracts.Envelope.of("send_message", "forger", id, null,
                Json.object().put("content", marker).put("sender_type", "customer"))));
        TopicProbe.send(bootstrap, Topics.AI_COMMANDS, id, Json.write(io.switchboard.contracts.Envelope.of("control_ai_response", "forger", id,
                null, Json.object().put("note", marker))));

        String content = "after the poison " + UUID.randomUUID();
        say(customer, content);
        await("the answer past the poison").atMost(Duration.ofSeconds(60)).until(() -> answers.containsKey("Stub answer to: " + content));
        assertEquals(1, answers.getOrDefault("Stub answer to: " + content, new AtomicInteger()).get(), "answered past the poison");

        Map<String, Integer> expected = Map.of(Topics.CHAT_EVENTS, 1, Topics.AI_COMMANDS, 2, Topics.CHAT_COMMANDS, 2);
        for (var topic : expected.entrySet()) {
            try (TopicProbe dlq = TopicProbe.of(bootstrap, topic.getKey() + Topics.DEAD_LETTER_SUFFIX)) {
                var dead = dlq.await(r -> r.value() != null && r.value().contains(marker), topic.getValue(), Duration.ofSeconds(30));
                assertTrue(dead.size() >= topic.getValue(), topic.getKey() + ": dead letters " + dead.size());
                assertTrue(dead.stream().allMatch(r -> id.equals(r.key())), "dead letters keep their key");
            }
        }
        JsonNode messages = api.get(system.chatUrl() + "/api/conversations/" + id + "/messages?size=50", SystemUnderTest.AGENT_TOKEN).ok()
                .path("items");
        assertEquals(2, messages.size(), "the question and its answer, nothing from the poison: " + messages);
        customer.socket().close();
    }
}
