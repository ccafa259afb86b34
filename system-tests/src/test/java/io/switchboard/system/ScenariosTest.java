package io.switchboard.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.switchboard.contracts.Json;

/**
 * The seed's scenarios, played against the packaged services through the public API and the notifier WebSocket
 * only (plus Redis and the stubs, to see what left the system). Two notifier replicas run, as behind a load balancer;
 * the seed's workflows are the ones workflow-service loads on its first start.
 */
class ScenariosTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static SystemUnderTest system;
    private static final Api api = new Api();

    @BeforeAll
    static void start() throws Exception {
        system = SystemUnderTest.shared();
    }

    @Test
    void theSeedWorkflowsAreLoadedOnTheFirstStartOnly() {
        JsonNode workflows = api.get(system.workflowUrl() + "/api/workflows", SystemUnderTest.AGENT_TOKEN).ok();
        List<String> names = new java.util.ArrayList<>();
        workflows.forEach(w -> names.add(w.path("name").asText()));
        List<String> seeds = List.of("Premium support", "Spanish support", "Human handoff", EXAMPLE_1);
        assertEquals(seeds, names.stream().filter(seeds::contains).sorted(java.util.Comparator.comparing(seeds::indexOf)).toList(),
                "each seed workflow once: " + names);
    }

    static final String EXAMPLE_1 = "Premium Support Workflow (the specification's Example 1)";

    @Test
    void theSpecificationsExampleOneShipsAsWrittenAndWorksEndToEnd() throws Exception {
        JsonNode example = null;
        for (JsonNode w : api.get(system.workflowUrl() + "/api/workflows", SystemUnderTest.AGENT_TOKEN).ok()) {
            if (w.path("name").asText().equals(EXAMPLE_1)) {
                example = w;
            }
        }
        assertNotNull(example, "shipped");
        assertEquals("INACTIVE", example.path("status").asText(), "shipped switched off: it makes everyone premium");
        String url = system.workflowUrl() + "/api/workflows/" + example.path("id").asText();
        var active = (com.fasterxml.jackson.databind.node.ObjectNode) example.deepCopy();
        active.put("status", "ACTIVE");
        api.put(url, SystemUnderTest.AGENT_TOKEN, active).ok();
        try {
            // an anonymous web customer: the shipped Premium support (verified premium only) stays out of it
            JsonNode started = api.post(system.chatUrl() + "/api/conversations", null,
                    Map.of("channel", "web", "contact", Map.of("first_name", "Eve"))).ok();
            String id = started.path("id").asText();
            var eve = new Customer(id, started.path("customer_token").asText(),
                    Socket.open(system.notifierWs(1) + "/ws/conversations/" + id, started.path("customer_token").asText()));
            eve.say("I have a problem with my invoice");
            assertEquals("I've escalated your request to premium support!", content(eve.socket().nextMessageFrom("workflow", WAIT)));
            org.awaitility.Awaitility.await().atMost(WAIT).untilAsserted(() -> {
                JsonNode ai = api.get(system.aiUrl() + "/api/conversations/" + id + "/ai", SystemUnderTest.AGENT_TOKEN).ok();
                assertEquals("You are a premium support assistant. Prioritize customer satisfaction.", ai.path("custom_prompt").asText());
                assertEquals("premium", ai.path("context").path("support_tier").asText());
                assertEquals("high", ai.path("context").path("priority").asText());
            });
            eve.socket().close();
        } finally {
            active.put("status", "INACTIVE");
            api.put(url, SystemUnderTest.AGENT_TOKEN, active).ok();
        }
    }

    record Customer(String conversationId, String token, Socket socket) {
        void say(String content) {
            api.post(system.chatUrl() + "/api/conversations/" + conversationId + "/messages", token, Map.of("content", content)).ok();
        }
    }

    static Customer customer(String firstName, int notifier) {
        // a premium customer whom the site signed in: the Premium workflow is for verified customers only
        JsonNode started = api.post(system.chatUrl() + "/api/conversations", null, Map.of("channel", "web",
                "identity_token", io.switchboard.testing.TestKeys.identityToken("user-" + UUID.randomUUID(), firstName,
                        Map.of("last_purchase", "2026-10-02", "plan", "premium")))).ok();
        String id = started.path("id").asText();
        String token = started.path("customer_token").asText();
        return new Customer(id, token, Socket.open(system.notifierWs(notifier) + "/ws/conversations/" + id, token));
    }

    static String content(Socket.Received received) {
        assertNotNull(received, "no frame in time");
        return received.frame().path("data").path("content").asText();
    }

    static JsonNode redisJson(String key) throws Exception {
        String value = Redis.get(key);
        return value == null ? null : Json.MAPPER.readTree(value);
    }

    @Test
    void premiumSupportEscalatesLiveThenTheAiAnswersWithThePremiumPromptAndContext() {
        Customer ana = customer("Ana", 1);
        String marker = UUID.randomUUID().toString();
        ana.say("I need help with order " + marker);

        assertEquals("Hello Ana! I've upgraded your support to premium tier.", content(ana.socket().nextMessageFrom("workflow", WAIT)));
        assertEquals("Stub answer to: I need help with order " + marker, content(ana.socket().nextMessageFrom("ai", WAIT)));
        List<JsonNode> calls = system.model().requestsMentioning(marker);
        assertEquals(1, calls.size());
        String request = calls.get(0).toString();
        // the customer's name reaches the model as quoted data inside the instructions
        assertTrue(request.contains("You are a premium support assistant for \\\"Ana\\\". Be extra helpful."), request);
        assertTrue(request.contains("customer_tier") && request.contains("premium") && request.contains("2026-10-02"), request);
    }

    @Test
    void spanishSupportSwitchesThePromptAndStoresTheLanguageAndKeywords() throws Exception {
        Customer luis = customer("Luis", 1);
        luis.say("hola, tengo un problema");

        content(luis.socket().nextMessageFrom("ai", WAIT));
        JsonNode context = redisJson("ai_context_" + luis.conversationId());
        assertEquals("spanish", context.path("preferred_language").asText());
        assertEquals("hola, tengo un problema", context.path("detected_keywords").asText());
        JsonNode control = redisJson("ai_control_" + luis.conversationId());
        assertTrue(control.path("custom_prompt").asText().startsWith("Eres un asistente de soporte en español"), control.toString());
        assertTrue(system.model().requests().stream().anyMatch(r -> r.toString().contains("Eres un asistente de soporte en español")
                && r.toString().contains("hola, tengo un problema")));
    }

    @Test
    void humanHandoffTurnsTheAiOffUntilAnAgentTurnsItOn() throws Exception {
        Customer bea = customer("Bea", 2);
        String marker = UUID.randomUUID().toString();
        bea.say("Please get me a human agent " + marker);

        assertEquals("I'm connecting you with a human agent. Please wait a moment.", content(bea.socket().nextMessageFrom("workflow", WAIT)));
        assertNotNull(bea.socket().next(f -> "conversation.updated".equals(f.path("type").asText())
                && "support_active".equals(f.path("data").path("conversation").path("status").asText()), WAIT));
        assertEquals("support_active", api.get(system.chatUrl() + "/api/conversations/" + bea.conversationId(),
                SystemUnderTest.AGENT_TOKEN).ok().path("status").asText());
        // the control goes to ai-service on its own topic: it lands before the reply request, not before chat's events
        JsonNode control = await("the handoff in Redis").atMost(WAIT).until(() -> redisJson("ai_control_" + bea.conversationId()),
                found -> found != null && !found.path("ai_enabled").asBoolean(true));
        assertNotNull(control, "ai_control_ key in Redis");
        assertEquals(false, control.path("ai_enabled").asBoolean(true));

        String later = UUID.randomUUID().toString();
        bea.say("is anyone there? " + later);
        assertNull(bea.socket().nextMessageFrom("ai", Duration.ofSeconds(4)), "no AI answer while disabled");
        assertEquals(List.of(), system.model().requestsMentioning(marker));
        assertEquals(List.of(), system.model().requestsMentioning(later));
        api.post(system.chatUrl() + "/api/conversations/" + bea.conversationId() + "/messages", SystemUnderTest.AGENT_TOKEN,
                Map.of("content", "Agent here, your parcel left today " + later)).ok();
        assertNotNull(bea.socket().nextMessageFrom("agent", WAIT));

        api.post(system.aiUrl() + "/api/conversations/" + bea.conversationId() + "/ai", SystemUnderTest.AGENT_TOKEN,
                Map.of("action", "enable")).ok();
        String after = UUID.randomUUID().toString();
        bea.say("thanks, one more question " + after);
        assertEquals("Stub answer to: thanks, one more question " + after, content(bea.socket().nextMessageFrom("ai", WAIT)));
        // the AI back on knows the conversation so far, what the workflow and the agent said while it was off included
        List<String> turns = new java.util.ArrayList<>();
        system.model().requestsAsking(after).get(0).path("messages")
                .forEach(m -> turns.add(m.path("role").asText() + ": " + m.path("content").asText()));
        assertEquals(List.of("user: Please get me a human agent " + marker,
                "assistant: I'm connecting you with a human agent. Please wait a moment.", "user: is anyone there? " + later,
                "assistant: Agent here, your parcel left today " + later, "user: thanks, one more question " + after),
                turns.subList(1, turns.size()));
    }

    @Test
    void aMessageThatMatchesNoWorkflowGetsAnAiAnswer() {
        Customer cy = customer("Cy", 1);
        String marker = UUID.randomUUID().toString();
        cy.say("what are your opening hours " + marker);
        assertEquals("Stub answer to: what are your opening hours " + marker, content(cy.socket().nextMessageFrom("ai", WAIT)));
        assertTrue(cy.socket().drain(Duration.ofSeconds(1)).stream()
                .noneMatch(f -> "workflow".equals(f.path("data").path("message").path("sender_type").asText())));
    }

    @Test
    void aTelegramConversationIsAnsweredThroughTheTelegramApiOnce() throws Exception {
        long chatId = System.nanoTime() % 1_000_000_000L;
        String marker = UUID.randomUUID().toString();
        var update = Json.object().put("update_id", chatId);
        var message = update.putObject("message").put("message_id", 1).put("date", 1_764_000_000L).put("text", "do you ship abroad " + marker);
        message.putObject("from").put("id", chatId).put("is_bot", false).put("first_name", "Tom");
        message.putObject("chat").put("id", chatId).put("type", "private");
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(system.chatUrl() + "/webhooks/telegram"))
                .header("Content-Type", "application/json").header("X-Telegram-Bot-Api-Secret-Token", SystemUnderTest.TELEGRAM_SECRET)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(Json.write(update))).build();
        assertEquals(200, java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode());

        List<JsonNode> sent = await("the answer sent to Telegram").atMost(WAIT)
                .until(() -> system.telegram().deliveredMentioning(marker), delivered -> !delivered.isEmpty());
        assertEquals(1, sent.size());
        assertEquals(chatId, sent.get(0).path("chat_id").asLong());
        assertEquals("Stub answer to: do you ship abroad " + marker, sent.get(0).path("text").asText());
        await("sent once").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .until(() -> system.telegram().deliveredMentioning(marker).size() == 1);
    }

    @Test
    void everyNotifierReplicaDeliversToTheSocketsItHolds() {
        try (Socket inboxOne = Socket.open(system.notifierWs(1) + "/ws/inbox", SystemUnderTest.AGENT_TOKEN);
                Socket inboxTwo = Socket.open(system.notifierWs(2) + "/ws/inbox", SystemUnderTest.AGENT_TOKEN)) {
            Customer dee = customer("Dee", 2);
            String marker = UUID.randomUUID().toString();
            dee.say("just saying hi " + marker);
            for (Socket socket : List.of(inboxOne, inboxTwo, dee.socket())) {
                assertNotNull(socket.next(f -> "message.created".equals(f.path("type").asText())
                        && f.path("data").path("content").asText().contains(marker), WAIT));
            }
        }
    }

    @Test
    void typingCrossesNotifierReplicasBothWaysAndIsNotReplayed() {
        try (Socket inbox = Socket.open(system.notifierWs(1) + "/ws/inbox", SystemUnderTest.AGENT_TOKEN)) {
            // the customer's socket is held by the other replica: the signal crosses on switchboard.typing
            Customer eve = customer("Eve", 2);
            eve.socket().send("{\"type\":\"typing\"}");
            assertNotNull(inbox.next(f -> "typing".equals(f.path("type").asText()) && eve.conversationId().equals(f.path("conversation_id").asText())
                    && "customer".equals(f.path("data").path("sender_type").asText()), WAIT), "the inbox on replica 1 sees the customer typing");
            inbox.send("{\"type\":\"typing\",\"conversation_id\":\"" + eve.conversationId() + "\"}");
            assertNotNull(eve.socket().next(f -> "typing".equals(f.path("type").asText())
                    && "agent".equals(f.path("data").path("sender_type").asText()), WAIT), "the customer on replica 2 sees the agent typing");
        }
    }
}
