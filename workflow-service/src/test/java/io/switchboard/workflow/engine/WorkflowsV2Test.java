package io.switchboard.workflow.engine;

import static io.restassured.RestAssured.given;
import static io.switchboard.workflow.WorkflowApiTest.AGENT;
import static io.switchboard.workflow.WorkflowApiTest.create;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.switchboard.contracts.Cause;
import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.EventType;
import io.switchboard.contracts.Json;
import io.switchboard.contracts.Topics;
import io.switchboard.testing.KafkaTestResource;
import io.switchboard.testing.PostgresTestResource;
import io.switchboard.testing.TopicProbe;

/**
 * Workflows v2 on the real broker and database: wait actions, idle triggers, A/B tests of prompts, the vocabulary, and
 * the paths of the seed not covered elsewhere (Example 1 as written, user_created and tag_removed, INACTIVE, enable and
 * reset_context, the AI message type).
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class WorkflowsV2Test {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static TopicProbe aiCommands;
    private static TopicProbe chatCommands;

    @Inject
    DataSource dataSource;

    @BeforeAll
    static void probes() {
        aiCommands = TopicProbe.of(Topics.AI_COMMANDS);
        chatCommands = TopicProbe.of(Topics.CHAT_COMMANDS);
    }

    @AfterAll
    static void close() {
        aiCommands.close();
        chatCommands.close();
    }

    private static JsonPath executions(String workflowId) {
        return given().header("Authorization", AGENT).get("/api/workflows/{id}/executions", workflowId).then().statusCode(200)
                .extract().jsonPath();
    }

    private static Envelope event(EventType type, String conversationId, String channel, ObjectNode message) {
        var data = Json.object();
        data.putObject("contact").put("first_name", "Ana");
        data.putObject("conversation").put("id", conversationId).put("status", "open").put("channel", channel);
        if (message != null) {
            data.set("message", message);
            data.put("content", message.path("content").asText());
        }
        return Envelope.of(type, "chat-service", conversationId, Cause.NONE, data);
    }

    private static Envelope customerSays(String conversationId, String content) {
        return event(EventType.MESSAGE_RECEIVED, conversationId, "web", Json.object().put("id", UUID.randomUUID().toString())
                .put("sender_type", "customer").put("content", content));
    }

    private void sql(String statement, Object... parameters) throws Exception {
        try (Connection connection = dataSource.getConnection(); PreparedStatement prepared = connection.prepareStatement(statement)) {
            for (int i = 0; i < parameters.length; i++) {
                prepared.setObject(i + 1, parameters[i]);
            }
            prepared.executeUpdate();
        }
    }

    @Test
    void aWaitHoldsTheRestOfTheActionsAndTheExecutionShowsItWaiting() {
        String id = create("""
                {"name": "Later", "trigger": {"when_type": "receive_message", "keywords": ["zebra later"]},
                 "actions": [{"action_type": "send_message", "message": "now"},
                             {"action_type": "wait", "seconds": 2},
                             {"action_type": "send_message", "message": "later, {{user.first_name}}"}]}""");
        String conversation = UUID.randomUUID().toString();
        TopicProbe.send(Topics.CHAT_EVENTS, customerSays(conversation, "zebra later please"));
        assertEquals("now", chatCommands.awaitEnvelopes(conversation, 1, WAIT).get(0).text("content"));
        Instant first = Instant.now();
        await().atMost(WAIT).until(() -> "waiting".equals(executions(id).getString("[0].outcome")));
        JsonPath waiting = executions(id);
        assertEquals(List.of("sent", "waiting", "pending"), waiting.getList("[0].actions.outcome"));

        List<Envelope> both = chatCommands.awaitEnvelopes(conversation, 2, WAIT);
        assertEquals("later, Ana", both.get(1).text("content"));
        assertTrue(Duration.between(first, Instant.now()).toMillis() >= 1000, "it waited");
        await().atMost(WAIT).untilAsserted(() -> {
            JsonPath done = executions(id);
            assertEquals("succeeded", done.getString("[0].outcome"));
            assertEquals(List.of("sent", "waiting", "sent"), done.getList("[0].actions.outcome"));
        });
        assertEquals(2, chatCommands.drain(conversation, Duration.ofSeconds(2)).size(), "the rest ran once");
        given().header("Authorization", AGENT).delete("/api/workflows/{id}", id).then().statusCode(204);
    }

    @Test
    void closingTheConversationCancelsWhatWaits() {
        String id = create("""
                {"name": "Never", "trigger": {"when_type": "receive_message", "keywords": ["zebra close"]},
                 "actions": [{"action_type": "wait", "seconds": 3}, {"action_type": "send_message", "message": "too late"}]}""");
        String conversation = UUID.randomUUID().toString();
        TopicProbe.send(Topics.CHAT_EVENTS, customerSays(conversation, "zebra close"));
        await().atMost(WAIT).until(() -> "waiting".equals(executions(id).getString("[0].outcome")));
        var closed = event(EventType.CONVERSATION_UPDATED, conversation, "web", null);
        ((ObjectNode) closed.data().get("conversation")).put("status", "closed");
        TopicProbe.send(Topics.CHAT_EVENTS, closed);
        await().atMost(WAIT).until(() -> "cancelled".equals(executions(id).getString("[0].outcome")));
        assertEquals(List.of(), chatCommands.drain(conversation, Duration.ofSeconds(5)), "nothing after the close");
        given().header("Authorization", AGENT).delete("/api/workflows/{id}", id).then().statusCode(204);
    }

    @Test
    void anIdleConversationFiresOncePerWait() throws Exception {
        String id = create("""
                {"name": "Sorry for the wait", "trigger": {"when_type": "conversation_idle", "minutes": 1, "waiting_on": "agent"},
                 "conditions": [{"field": "conversation.channel", "operator": "equals", "value": "idle-test"}],
                 "actions": [{"action_type": "send_message", "message": "Sorry for the wait, {{user.first_name}}"}]}""");
        String conversation = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();
        Instant wrote = Instant.now();
        // a customer's message is a message_received (it moves the clock as any message does), an agent's a message_created
        TopicProbe.send(Topics.CHAT_EVENTS, event(EventType.MESSAGE_RECEIVED, conversation, "idle-test",
                Json.object().put("id", UUID.randomUUID().toString()).put("sender_type", "customer").put("content", "hello?")
                        .put("created_at", wrote.toString())));
        // the other conversation was answered by an agent after the customer wrote: it waits on no one
        TopicProbe.sendAll(Topics.CHAT_EVENTS, List.of(
                event(EventType.MESSAGE_RECEIVED, other, "idle-test", Json.object().put("id", UUID.randomUUID().toString())
                        .put("sender_type", "customer").put("content", "hi").put("created_at", wrote.toString())),
                event(EventType.MESSAGE_CREATED, other, "idle-test", Json.object().put("id", UUID.randomUUID().toString())
                        .put("sender_type", "agent").put("content", "hello").put("created_at", wrote.plusSeconds(1).toString()))));
        assertEquals(List.of(), chatCommands.drain(conversation, Duration.ofSeconds(3)), "not before the minute");
        // two minutes later: move the clocks back rather than wait (the workflow too, as it only fires for newer waits)
        await().atMost(WAIT).untilAsserted(() -> {
            sql("update conversation_clocks set last_customer_at = last_customer_at - interval '2 minutes', "
                    + "last_agent_at = last_agent_at - interval '2 minutes' where conversation_id in (?, ?) and last_customer_at > now() - interval '1 minute'",
                    conversation, other);
            sql("update workflows set updated_at = updated_at - interval '10 minutes' where id = cast(? as uuid) and updated_at > now() - interval '5 minutes'", id);
            assertEquals(1, chatCommands.awaitEnvelopes(conversation, 1, Duration.ofSeconds(2)).size());
        });
        List<Envelope> sent = chatCommands.drain(conversation, Duration.ofSeconds(4));
        assertEquals(List.of("Sorry for the wait, Ana"), sent.stream().map(e -> e.text("content")).toList(), "once per wait");
        assertEquals(List.of(), chatCommands.drain(other, Duration.ofSeconds(1)), "an answered conversation does not fire");
        assertEquals("conversation_idle", executions(id).getString("[0].event_type"));
        given().header("Authorization", AGENT).delete("/api/workflows/{id}", id).then().statusCode(204);
    }

    @Test
    void anABTestKeepsEachConversationsVariantAndReportsRepliesAndHandoffsPerVariant() {
        String id = create("""
                {"name": "Tone test", "trigger": {"when_type": "receive_message", "keywords": ["zebra tone"]},
                 "actions": [{"action_type": "control_ai_response", "action": "custom_prompt", "variants": [
                   {"name": "warm", "weight": 1, "custom_prompt": "Be warm with {{user.first_name}}."},
                   {"name": "formal", "weight": 1, "custom_prompt": "Be formal."}]}]}""");
        Map<String, String> variantOf = new HashMap<>();
        for (int i = 0; i < 12; i++) {
            String conversation = UUID.randomUUID().toString();
            TopicProbe.send(Topics.CHAT_EVENTS, customerSays(conversation, "zebra tone " + i));
            Envelope control = aiCommands.awaitEnvelopes(conversation, 2, WAIT).get(0);
            String variant = control.data().path("prompt_variant").path("name").asText();
            assertEquals(id, control.data().path("prompt_variant").path("workflow_id").asText());
            assertEquals(variant.equals("warm") ? "Be warm with \"Ana\"." : "Be formal.", control.text("custom_prompt"));
            variantOf.put(conversation, variant);
        }
        assertTrue(variantOf.containsValue("warm") && variantOf.containsValue("formal"), variantOf.toString());
        String conversation = variantOf.keySet().iterator().next();
        TopicProbe.send(Topics.CHAT_EVENTS, customerSays(conversation, "zebra tone again"));
        assertEquals(variantOf.get(conversation), aiCommands.awaitEnvelopes(conversation, 4, WAIT).get(2).data()
                .path("prompt_variant").path("name").asText(), "a conversation keeps its variant");

        // two AI replies made with the variant (one delivered twice), then the conversation goes to a person
        var variant = Json.object().put("workflow_id", id).put("name", variantOf.get(conversation));
        var reply = Json.object().put("id", UUID.randomUUID().toString()).put("sender_type", "ai").put("content", "hi");
        reply.putObject("metadata").set("prompt_variant", variant);
        var second = reply.deepCopy().put("id", UUID.randomUUID().toString());
        Envelope firstReply = event(EventType.MESSAGE_CREATED, conversation, "web", reply);
        var handoff = event(EventType.CONVERSATION_UPDATED, conversation, "web", null);
        ((ObjectNode) handoff.data().get("conversation")).putArray("tags").add("needs_human");
        TopicProbe.sendAll(Topics.CHAT_EVENTS, List.of(firstReply, firstReply, event(EventType.MESSAGE_CREATED, conversation, "web", second), handoff));
        // another conversation is handed off by an agent switching the AI off
        String other = variantOf.keySet().stream().filter(c -> !c.equals(conversation)).findFirst().orElseThrow();
        TopicProbe.send(Topics.AI_EVENTS, Envelope.of(EventType.AI_UPDATED, "ai-service", other, Cause.NONE,
                Json.object().put("ai_enabled", false).put("disabled_by", "agent")));

        await().atMost(WAIT).untilAsserted(() -> {
            JsonPath report = given().header("Authorization", AGENT).get("/api/workflows/{id}/experiment", id).then().statusCode(200)
                    .extract().jsonPath();
            assertEquals(12, report.getInt("variants.conversations.sum()"));
            assertEquals(2, report.getInt("variants.handoffs.sum()"));
            assertEquals(2, report.getInt("variants.find { it.variant == '" + variantOf.get(conversation) + "' }.ai_replies"));
        });
        given().header("Authorization", AGENT).delete("/api/workflows/{id}", id).then().statusCode(204);
    }

    @Test
    void theVocabularyIsWhatTheValidatorAccepts() {
        given().header("Authorization", AGENT).get("/api/workflows/vocabulary").then().statusCode(200)
                .body("triggers.when_type", hasItems("receive_message", "tag_removed", "conversation_idle"))
                .body("actions.action_type", hasItems("control_ai_response", "assign_conversation", "wait"))
                .body("actions.find { it.action_type == 'wait' }.fields[0].name", equalTo("seconds"))
                .body("actions.find { it.action_type == 'control_ai_response' }.fields[0].values", hasItems("disable", "enable", "custom_prompt", "reset_context"))
                .body("conditions.operators.operator", hasItems("equals", "in", "exists"))
                .body("templates.filters.name", hasItems("default", "upcase", "downcase", "truncate"));
        given().get("/api/workflows/vocabulary").then().statusCode(401);
    }

    @Test
    void theSeedsExampleOneAsWrittenSetsThePromptTheContextAndSaysItEscalated() {
        String id = create("""
                {"name": "Premium Support Workflow",
                 "trigger": {"when_type": "receive_message", "keywords": ["help", "support", "problem"]},
                 "actions": [
                   {"action_type": "control_ai_response", "ai_control_action": "custom_prompt",
                    "ai_custom_prompt": "You are a premium support assistant. Prioritize customer satisfaction."},
                   {"action_type": "update_ai_context", "ai_context_data": {"support_tier": "premium", "priority": "high"}},
                   {"action_type": "send_message", "message_content": "I've escalated your request to premium support!"}]}""");
        try {
            String conversation = UUID.randomUUID().toString();
            TopicProbe.send(Topics.CHAT_EVENTS, customerSays(conversation, "I have a problem with my order"));
            List<Envelope> ai = aiCommands.awaitEnvelopes(conversation, 3, WAIT);
            assertEquals(List.of("control_ai_response", "update_ai_context", "reply_request"), ai.stream().map(Envelope::type).toList());
            assertEquals("custom_prompt", ai.get(0).text("action"));
            assertEquals("You are a premium support assistant. Prioritize customer satisfaction.", ai.get(0).text("custom_prompt"));
            assertEquals(Json.object().put("support_tier", "premium").put("priority", "high"), ai.get(1).data().get("context_data"));
            Envelope message = chatCommands.awaitEnvelopes(conversation, 1, WAIT).get(0);
            assertEquals("I've escalated your request to premium support!", message.text("content"));
            assertEquals("support", message.text("message_type"));
        } finally {
            given().header("Authorization", AGENT).delete("/api/workflows/{id}", id).then().statusCode(204);
        }
    }

    @Test
    void userCreatedAndTagRemovedFireAndAnInactiveWorkflowDoesNot() {
        List<String> ids = List.of(
                create("""
                        {"name": "Welcome Zed", "trigger": {"when_type": "user_created"},
                         "conditions": [{"field": "contact.first_name", "operator": "equals", "value": "Zed"}],
                         "actions": [{"action_type": "add_tag", "tag": "new-user"}]}"""),
                create("""
                        {"name": "VIP gone", "trigger": {"when_type": "tag_removed", "tag": "zz-vip"},
                         "actions": [{"action_type": "send_message", "message": "Your VIP status ended.", "message_type": "AI"}]}"""),
                create("""
                        {"name": "Sleeping", "status": "INACTIVE", "trigger": {"when_type": "receive_message", "keywords": ["zebra asleep"]},
                         "actions": [{"action_type": "add_tag", "tag": "never"}]}"""));
        try {
            String zed = UUID.randomUUID().toString();
            var created = event(EventType.USER_CREATED, zed, "web", null);
            ((ObjectNode) created.data().get("contact")).put("first_name", "Zed");
            TopicProbe.send(Topics.CHAT_EVENTS, created);
            Envelope tag = chatCommands.awaitEnvelopes(zed, 1, WAIT).get(0);
            assertEquals("add_tag", tag.type());
            assertEquals("new-user", tag.text("tag"));

            String vip = UUID.randomUUID().toString();
            var removed = event(EventType.TAG_REMOVED, vip, "web", null);
            removed.data().put("tag", "zz-vip");
            var otherTag = event(EventType.TAG_REMOVED, vip, "web", null);
            otherTag.data().put("tag", "zz-other");
            TopicProbe.sendAll(Topics.CHAT_EVENTS, List.of(otherTag, removed));
            Envelope sent = chatCommands.awaitEnvelopes(vip, 1, WAIT).get(0);
            assertEquals("Your VIP status ended.", sent.text("content"));
            assertEquals("AI", sent.text("message_type"));
            assertEquals(1, chatCommands.drain(vip, Duration.ofSeconds(2)).size(), "only the named tag fires it");

            String asleep = UUID.randomUUID().toString();
            TopicProbe.send(Topics.CHAT_EVENTS, customerSays(asleep, "zebra asleep"));
            assertEquals(List.of("reply_request"), aiCommands.awaitEnvelopes(asleep, 1, WAIT).stream().map(Envelope::type).toList());
            assertEquals(List.of(), chatCommands.drain(asleep, Duration.ofSeconds(2)), "an INACTIVE workflow does not run");
        } finally {
            ids.forEach(id -> given().header("Authorization", AGENT).delete("/api/workflows/{id}", id).then().statusCode(204));
        }
    }

    @Test
    void enableAndResetContextFromADocumentReachAiServiceInOrder() {
        String id = create("""
                {"name": "Fresh start", "trigger": {"when_type": "receive_message", "keywords": ["zebra restart"]},
                 "actions": [{"action_type": "control_ai_response", "action": "reset_context"},
                             {"action_type": "control_ai_response", "action": "enable"}]}""");
        try {
            String conversation = UUID.randomUUID().toString();
            TopicProbe.send(Topics.CHAT_EVENTS, customerSays(conversation, "zebra restart please"));
            List<Envelope> ai = aiCommands.awaitEnvelopes(conversation, 3, WAIT);
            assertEquals(List.of("reset_context", "enable", ""), ai.stream().map(e -> e.data().path("action").asText()).toList());
            assertEquals("reply_request", ai.get(2).type());
        } finally {
            given().header("Authorization", AGENT).delete("/api/workflows/{id}", id).then().statusCode(204);
        }
    }
}
