package io.switchboard.ai;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.utils.Utils;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.Json;
import io.switchboard.contracts.MessageContent;
import io.switchboard.contracts.Topics;
import io.switchboard.testing.KafkaTestResource;
import io.switchboard.testing.OpenAiStub;
import io.switchboard.testing.OpenAiStubResource;
import io.switchboard.testing.PostgresTestResource;
import io.switchboard.testing.TopicProbe;

@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(OpenAiStubResource.class)
class AiServiceTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static TopicProbe chatCommands;

    @Inject
    RedisDataSource redis;

    @BeforeAll
    static void probe() {
        chatCommands = TopicProbe.of(Topics.CHAT_COMMANDS);
    }

    @AfterAll
    static void close() {
        chatCommands.close();
    }

    @BeforeEach
    void resetStub() {
        OpenAiStub stub = OpenAiStubResource.stub();
        stub.reset();
    }

    static void command(String conversation, String type, com.fasterxml.jackson.databind.node.ObjectNode data) {
        TopicProbe.send(Topics.AI_COMMANDS, Envelope.of(type, "workflow-service", conversation, null, data));
    }

    static void replyRequest(String conversation, String content) {
        command(conversation, "reply_request", Json.object().put("message_id", UUID.randomUUID().toString()).put("content", content));
    }

    /** The model calls that asked this question (a conversation's later calls carry it again, in its history). */
    static List<JsonNode> modelCallsFor(String marker) {
        return OpenAiStubResource.stub().requestsAsking(marker);
    }

    @Test
    void aDisabledConversationMakesNoModelCallAndStaysDisabledWhenRedisIsFlushed() {
        String conversation = UUID.randomUUID().toString();
        command(conversation, "control_ai_response", Json.object().put("action", "disable"));
        replyRequest(conversation, "marker-" + conversation + " hello?");
        Awaitility.await().atMost(WAIT).untilAsserted(() -> given().header("Authorization", "Bearer dev-agent-token")
                .get("/api/conversations/{id}/ai", conversation).then().statusCode(200).body("ai_enabled", equalTo(false)));
        // the seed's value, plus who switched it off
        assertEquals("{\"ai_enabled\":false,\"custom_prompt\":null,\"disabled_by\":\"workflow\"}",
                redis.value(String.class).get("ai_control_" + conversation));

        // Redis loses everything about this conversation (flush, restart): the bot stays off
        redis.key().del("ai_control_" + conversation, "ai_context_" + conversation);
        replyRequest(conversation, "marker-" + conversation + " anyone?");
        command(conversation, "update_ai_context", Json.object().set("context_data", Json.object().put("probe", "done")));
        Awaitility.await().atMost(WAIT).untilAsserted(() -> given().header("Authorization", "Bearer dev-agent-token")
                .get("/api/conversations/{id}/ai", conversation).then().body("context.probe", equalTo("done")));
        assertEquals(List.of(), chatCommands.drain(conversation, Duration.ofSeconds(1)));
        assertEquals(List.of(), modelCallsFor("marker-" + conversation));
        assertTrue(redis.value(String.class).get("ai_control_" + conversation).contains("\"ai_enabled\":false"));
        assertTrue(redis.key().pttl("ai_control_" + conversation) > Duration.ofHours(23).toMillis());
    }

    @Test
    void anAgentSwitchesTheAiOffAndOnByHand() {
        String conversation = UUID.randomUUID().toString();
        given().header("Authorization", "Bearer dev-agent-token").contentType("application/json").body("{\"action\": \"disable\"}")
                .post("/api/conversations/{id}/ai", conversation).then().statusCode(200).body("ai_enabled", equalTo(false));
        assertTrue(redis.value(String.class).get("ai_control_" + conversation).contains("\"ai_enabled\":false"));
        replyRequest(conversation, "marker-" + conversation + " off");
        // commands of one conversation are handled in order: once this one shows, the reply request before it was handled
        command(conversation, "update_ai_context", Json.object().set("context_data", Json.object().put("seen", "off")));
        Awaitility.await().atMost(WAIT).untilAsserted(() -> given().header("Authorization", "Bearer dev-agent-token")
                .get("/api/conversations/{id}/ai", conversation).then().body("context.seen", equalTo("off")));
        given().header("Authorization", "Bearer dev-agent-token").contentType("application/json").body("{\"action\": \"enable\"}")
                .post("/api/conversations/{id}/ai", conversation).then().statusCode(200).body("ai_enabled", equalTo(true));
        replyRequest(conversation, "marker-" + conversation + " on");
        Awaitility.await().atMost(WAIT).until(() -> modelCallsFor("marker-" + conversation + " on").size() == 1);
        assertEquals(List.of(), modelCallsFor("marker-" + conversation + " off"));

        given().header("Authorization", "Bearer dev-agent-token").contentType("application/json").body("{\"action\": \"shout\"}")
                .post("/api/conversations/{id}/ai", conversation).then().statusCode(400).body("field", equalTo("action"));
        given().header("Authorization", "Bearer dev-agent-token").contentType("application/json").body("{\"action\": \"custom_prompt\"}")
                .post("/api/conversations/{id}/ai", conversation).then().statusCode(400).body("field", equalTo("custom_prompt"));
        given().header("Authorization", "Bearer dev-agent-token").get("/api/conversations/{id}/ai", "not-a-uuid").then()
                .statusCode(400).body("field", equalTo("id"));
        given().contentType("application/json").body("{\"action\": \"disable\"}")
                .post("/api/conversations/{id}/ai", conversation).then().statusCode(401);
        assertTrue(redis.value(String.class).get("ai_control_" + conversation).contains("\"ai_enabled\":true"));
    }

    @Test
    void everyChangeIsPublishedAndAnAgentsSwitchOffIsReportedAsTheAgents() {
        String conversation = UUID.randomUUID().toString();
        try (TopicProbe aiEvents = TopicProbe.of(Topics.AI_EVENTS)) {
            given().header("Authorization", "Bearer dev-agent-token").contentType("application/json").body("{\"action\": \"disable\"}")
                    .post("/api/conversations/{id}/ai", conversation).then().statusCode(200)
                    .body("ai_enabled", equalTo(false)).body("disabled_by", equalTo("agent"));
            // a workflow's persona and context afterwards: still off, still the agent's switch-off
            command(conversation, "control_ai_response", Json.object().put("action", "custom_prompt").put("custom_prompt", "Be brief."));
            command(conversation, "update_ai_context", Json.object().set("context_data", Json.object().put("tier", "gold")));
            List<Envelope> events = aiEvents.awaitEnvelopes(conversation, 3, WAIT);
            assertTrue(events.stream().allMatch(e -> e.is(io.switchboard.contracts.EventType.AI_UPDATED)), events.toString());
            assertTrue(events.stream().allMatch(e -> !e.data().path("ai_enabled").asBoolean(true)
                    && "agent".equals(e.data().path("disabled_by").asText())), events.toString());
            assertEquals("gold", events.get(2).data().path("context").path("tier").asText());
            given().header("Authorization", "Bearer dev-agent-token").get("/api/conversations/{id}/ai", conversation).then()
                    .body("disabled_by", equalTo("agent")).body("custom_prompt", equalTo("Be brief."))
                    .body("provider", equalTo("openai")).body("follows_instructions", equalTo(true));

            command(conversation, "control_ai_response", Json.object().put("action", "enable"));
            Envelope enabled = aiEvents.awaitEnvelopes(conversation, 4, WAIT).get(3);
            assertTrue(enabled.data().path("ai_enabled").asBoolean(false));
            assertTrue(enabled.data().path("disabled_by").isNull());
        }
    }

    @Test
    void aCustomPromptAfterAHandoffDoesNotSwitchTheAiBackOn() {
        // the seed's workflows in one conversation: a handoff, then "hola" or "help" sets a persona
        String conversation = UUID.randomUUID().toString();
        command(conversation, "control_ai_response", Json.object().put("action", "disable"));
        command(conversation, "control_ai_response", Json.object().put("action", "custom_prompt")
                .put("custom_prompt", "Eres un asistente de soporte."));
        replyRequest(conversation, "handoff-" + conversation + " hola");
        Awaitility.await().atMost(WAIT).untilAsserted(() -> given().header("Authorization", "Bearer dev-agent-token")
                .get("/api/conversations/{id}/ai", conversation).then().statusCode(200)
                .body("ai_enabled", equalTo(false)).body("custom_prompt", equalTo("Eres un asistente de soporte.")));
        assertEquals(List.of(), chatCommands.drain(conversation, Duration.ofSeconds(3)), "no answer while a person has it");
        assertEquals(List.of(), modelCallsFor("handoff-" + conversation), "no model call");
    }

    @Test
    void theCustomPromptContextAndHistoryReachTheModelAndTheAnswerIsSentOnce() {
        String conversation = UUID.randomUUID().toString();
        command(conversation, "control_ai_response", Json.object().put("action", "custom_prompt")
                .put("custom_prompt", "You are a premium support assistant for Ana."));
        command(conversation, "update_ai_context", Json.object().set("context_data", Json.object().put("customer_tier", "premium")));
        var request = Envelope.of("reply_request", "workflow-service", conversation, null,
                Json.object().put("message_id", "m-1").put("content", "marker-" + conversation + " how do I reset my password?"));
        TopicProbe.send(Topics.AI_COMMANDS, request);
        TopicProbe.send(Topics.AI_COMMANDS, request);

        List<Envelope> sent = chatCommands.awaitEnvelopes(conversation, 1, WAIT);
        assertEquals("send_message", sent.get(0).type());
        assertEquals("ai", sent.get(0).text("sender_type"));
        assertEquals("AI", sent.get(0).text("message_type"));
        assertEquals("Stub answer to: marker-" + conversation + " how do I reset my password?", sent.get(0).text("content"));

        JsonNode call = modelCallsFor("marker-" + conversation).get(0);
        String system = call.path("messages").get(0).path("content").asText();
        assertEquals("system", call.path("messages").get(0).path("role").asText());
        assertTrue(system.startsWith("You are a premium support assistant for Ana."), system);
        assertTrue(system.contains("\"customer_tier\":\"premium\""), system);
        assertTrue(system.contains("Reset your password"), "knowledge passage in the prompt: " + system);
        assertTrue(!system.contains("marker-"), "the customer's text stays out of the system prompt");
        assertEquals(1, chatCommands.drain(conversation, Duration.ofSeconds(2)).size());
        assertEquals(1, modelCallsFor("marker-" + conversation).size());
    }

    @Test
    void anAnswerLongerThanAChatMessageGoesOutInPartsInOrderAndIsRememberedWhole() {
        String conversation = UUID.randomUUID().toString();
        StringBuilder question = new StringBuilder("marker-" + conversation);
        for (int i = 0; i < 100; i++) {
            question.append(i % 10 == 0 ? "\n\n" : " ").append("Here is detail number ").append(i).append(" of my long question.");
        }
        String answer = "Stub answer to: " + question;
        assertTrue(answer.length() > MessageContent.MAX_LENGTH, "the stub's answer is longer than one message: " + answer.length());
        command(conversation, "reply_request", Json.object().put("message_id", "long-1").put("content", question.toString()));

        List<Envelope> parts = chatCommands.awaitEnvelopes(conversation, 2, WAIT);
        assertEquals(2, parts.size());
        for (int i = 0; i < parts.size(); i++) {
            Envelope part = parts.get(i);
            assertEquals("send_message", part.type());
            assertTrue(part.text("content").length() <= MessageContent.MAX_LENGTH, "a part chat-service stores");
            assertEquals(i + 1, part.data().path("metadata").path("part").asInt());
            assertEquals(2, part.data().path("metadata").path("parts").asInt());
            assertEquals("long-1", part.data().path("metadata").path("reply_to").asText());
        }
        assertTrue(parts.get(0).text("content").endsWith("question."), "the first part ends at a paragraph or a sentence");
        assertEquals(2, parts.stream().map(part -> part.text("idempotency_key")).distinct().count(), "each part stored once, under its own key");
        assertEquals(answer.replaceAll("\\s+", ""), (parts.get(0).text("content") + parts.get(1).text("content")).replaceAll("\\s+", ""),
                "the whole answer, in order");
        Awaitility.await().atMost(WAIT).until(() -> memoryOf(conversation).size() == 2);
        assertEquals(List.of(question.toString(), answer), memoryOf(conversation), "the model reads its answer back whole");
        assertEquals(2, chatCommands.drain(conversation, Duration.ofSeconds(1)).size(), "answered once");
    }

    static void rememberMessage(String conversation, String messageId, String senderType, String content) {
        command(conversation, "remember_message", Json.object().put("message_id", messageId).put("sender_type", senderType).put("content", content));
    }

    private List<String> memoryOf(String conversation) {
        return redis.list(String.class).lrange("ai_memory_" + conversation, 0, -1).stream()
                .map(turn -> Json.read(turn).path("content").asText()).toList();
    }

    @Test
    void memoryKeepsEachTurnOnceInTheConversationsOrderAndOnlyTheLastTurns() {
        String conversation = UUID.randomUUID().toString();
        List<Envelope> commands = new java.util.ArrayList<>();
        List<String> said = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            commands.add(Envelope.of("reply_request", "workflow-service", conversation, null,
                    Json.object().put("message_id", "q-" + i).put("content", "question " + i)));
            commands.add(Envelope.of("remember_message", "workflow-service", conversation, null,
                    Json.object().put("message_id", "a-" + i).put("sender_type", "agent").put("content", "agent " + i)));
            said.addAll(List.of("question " + i, "Stub answer to: question " + i, "agent " + i));
        }
        // the last two delivered again, as after a consumer restart
        commands.addAll(commands.subList(commands.size() - 2, commands.size()));
        TopicProbe.sendAll(Topics.AI_COMMANDS, commands);
        Awaitility.await().atMost(WAIT).until(() -> memoryOf(conversation).contains("agent 9"));
        Awaitility.await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> memoryOf(conversation).size() == 20);
        assertEquals(said.subList(said.size() - 20, said.size()), memoryOf(conversation), "the configured number of turns, in order, each once");
        assertTrue(redis.key().pttl("ai_memory_" + conversation) > 0, "the memory expires");
        assertEquals(10, chatCommands.drain(conversation, Duration.ofSeconds(1)).size(), "each question answered once");
    }

    @Test
    void theModelSeesTheConversationSoFarWhatWasSaidWhileTheAiWasOffIncluded() {
        String conversation = UUID.randomUUID().toString();
        command(conversation, "reply_request", Json.object().put("message_id", "q-1").put("content", "first " + conversation));
        command(conversation, "control_ai_response", Json.object().put("action", "disable"));
        command(conversation, "reply_request", Json.object().put("message_id", "q-2").put("content", "while off " + conversation));
        rememberMessage(conversation, "a-1", "agent", "an agent answers " + conversation);
        command(conversation, "control_ai_response", Json.object().put("action", "enable"));
        command(conversation, "reply_request", Json.object().put("message_id", "q-3").put("content", "back on " + conversation));
        Awaitility.await().atMost(WAIT).until(() -> modelCallsFor("back on " + conversation).size() == 1);
        List<String> turns = new java.util.ArrayList<>();
        modelCallsFor("back on " + conversation).get(0).path("messages").forEach(m -> turns.add(m.path("role").asText() + ": " + m.path("content").asText()));
        assertEquals(List.of("user: first " + conversation, "assistant: Stub answer to: first " + conversation, "user: while off " + conversation,
                "assistant: an agent answers " + conversation, "user: back on " + conversation), turns.subList(1, turns.size()));
        assertEquals(List.of(), modelCallsFor("while off " + conversation), "no model call while the AI was off");
    }

    @Test
    void aMalformedRememberMessageIsRefusedAndTheCommandsAfterItStillApply() {
        String conversation = UUID.randomUUID().toString();
        rememberMessage(conversation, "m-1", "robot", "who am I");
        command(conversation, "remember_message", Json.object().put("sender_type", "agent").put("content", "no id"));
        rememberMessage(conversation, "m-2", "agent", "kept");
        Awaitility.await().atMost(WAIT).until(() -> memoryOf(conversation).contains("kept"));
        assertEquals(List.of("kept"), memoryOf(conversation));
    }

    @Test
    void resetContextEmptiesMemoryAndContext() {
        String conversation = UUID.randomUUID().toString();
        rememberMessage(conversation, "old-1", "customer", "my order number is 4711");
        command(conversation, "update_ai_context", Json.object().set("context_data", Json.object().put("order", "4711")));
        Awaitility.await().atMost(WAIT).until(() -> redis.list(String.class).llen("ai_memory_" + conversation) == 1);

        command(conversation, "control_ai_response", Json.object().put("action", "reset_context"));
        replyRequest(conversation, "marker-" + conversation + " fresh start");
        chatCommands.awaitEnvelopes(conversation, 1, WAIT);
        String call = modelCallsFor("marker-" + conversation).get(0).toString();
        assertTrue(!call.contains("4711"), call);
        Awaitility.await().atMost(WAIT).until(() -> memoryOf(conversation).size() == 2);
        assertEquals(List.of("marker-" + conversation + " fresh start", "Stub answer to: marker-" + conversation + " fresh start"),
                memoryOf(conversation), "only what came after the reset");
    }

    @Test
    void aModelTimeoutGivesTheFallbackAndFlagsForAPerson() {
        OpenAiStubResource.stub().delay(3000);
        String conversation = UUID.randomUUID().toString();
        replyRequest(conversation, "marker-" + conversation + " slow?");
        List<Envelope> sent = chatCommands.awaitEnvelopes(conversation, 2, Duration.ofSeconds(30));
        assertEquals("Sorry, I can't answer right now. A person from our team will follow up shortly.", sent.get(0).text("content"));
        assertEquals("add_tag", sent.get(1).type());
        assertEquals("needs_human", sent.get(1).text("tag"));
    }

    /** Conversations whose commands all go to the first partition of the AI commands: one consumer has them all. */
    static List<String> conversationsOfOnePartition(int count) throws Exception {
        int partitions;
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", KafkaTestResource.bootstrapServers()))) {
            partitions = admin.describeTopics(List.of(Topics.AI_COMMANDS)).allTopicNames().get().get(Topics.AI_COMMANDS).partitions().size();
        }
        return Stream.generate(() -> UUID.randomUUID().toString())
                .filter(id -> Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % partitions == 0).limit(count).toList();
    }

    @Test
    void theConversationsOfOneConsumersBatchAreAnsweredSideBySide() throws Exception {
        OpenAiStub stub = OpenAiStubResource.stub();
        stub.delay(1000);
        // conversations keyed onto one partition: one consumer has them all (it used to answer them one after another)
        List<String> conversations = conversationsOfOnePartition(5);
        TopicProbe.sendAll(Topics.AI_COMMANDS, conversations.stream().map(c -> Envelope.of("reply_request", "workflow-service", c, null,
                Json.object().put("message_id", UUID.randomUUID().toString()).put("content", "marker-" + c + " side by side?"))).toList());
        for (String conversation : conversations) {
            List<Envelope> sent = chatCommands.awaitEnvelopes(conversation, 1, Duration.ofSeconds(30));
            assertEquals("Stub answer to: marker-" + conversation + " side by side?", sent.get(0).text("content"));
            assertEquals(1, modelCallsFor("marker-" + conversation).size());
        }
        assertTrue(stub.mostInFlight() >= 2, "the model was asked one conversation at a time: " + stub.mostInFlight() + " in flight at most");
    }

    @Test
    void aSlowAnswerDoesNotHoldUpTheBatchesPolledAfterIt() throws Exception {
        OpenAiStub stub = OpenAiStubResource.stub();
        // longer than the model's time limit here (2 s): the slow conversation gets the fallback, after the limit
        stub.delayWhen("slow-", 2500);
        List<String> conversations = conversationsOfOnePartition(2);
        String slow = conversations.get(0);
        String fast = conversations.get(1);
        replyRequest(slow, "slow-" + slow + " takes the model a while");
        // the slow question is with the model, so its batch is running when the next one is polled
        Awaitility.await().atMost(WAIT).until(() -> modelCallsFor("slow-" + slow).size() == 1);
        replyRequest(fast, "fast-" + fast + " right away?");
        List<Envelope> fastAnswer = chatCommands.awaitEnvelopes(fast, 1, WAIT);
        assertEquals("Stub answer to: fast-" + fast + " right away?", fastAnswer.get(0).text("content"));
        // both on one partition of the answers' topic too: had the fast one waited for the slow batch, the slow
        // conversation's answer would have come first
        assertTrue(chatCommands.drain(slow, Duration.ZERO).isEmpty(), "the fast conversation was answered after the slow one");
        assertEquals(1, modelCallsFor("fast-" + fast).size());
        Envelope slowAnswer = chatCommands.awaitEnvelopes(slow, 1, WAIT).get(0);
        assertEquals("send_message", slowAnswer.type());
        assertEquals("Sorry, I can't answer right now. A person from our team will follow up shortly.", slowAnswer.text("content"));
        // the stub's slow request ends before the next test counts requests in flight
        Awaitility.await().atMost(WAIT).until(() -> stub.inFlight() == 0);
    }
}
