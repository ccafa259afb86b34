package io.switchboard.workflow.engine;

import static io.switchboard.workflow.WorkflowApiTest.AGENT;
import static io.restassured.RestAssured.given;
import static io.switchboard.workflow.WorkflowApiTest.create;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.contracts.Cause;
import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.Json;
import io.switchboard.contracts.Topics;
import io.switchboard.testing.KafkaTestResource;
import io.switchboard.testing.PostgresTestResource;
import io.switchboard.testing.TopicProbe;
import io.switchboard.workflow.SeedWorkflows;

@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class WorkflowEngineTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static TopicProbe aiCommands;
    private static TopicProbe chatCommands;
    private static boolean seeded;

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

    static synchronized void seed() {
        if (!seeded) {
            // this class asserts exactly which workflows run: start from none (other classes share the database)
            List<String> existing = given().header("Authorization", AGENT).get("/api/workflows").then().extract().path("id");
            existing.forEach(id -> given().header("Authorization", AGENT).delete("/api/workflows/{id}", id).then().statusCode(204));
            create(SeedWorkflows.PREMIUM_SUPPORT);
            create(SeedWorkflows.SPANISH_SUPPORT);
            create(SeedWorkflows.HUMAN_HANDOFF);
            create("""
                    {"name": "Tag VIPs", "trigger": {"when_type": "conversation_created"},
                     "conditions": [{"field": "contact.plan", "operator": "equals", "value": "vip"}],
                     "actions": [{"action_type": "add_tag", "tag": "vip"}]}""");
            create("""
                    {"name": "Loop A", "trigger": {"when_type": "tag_added", "tag": "loop"},
                     "actions": [{"action_type": "remove_tag", "tag": "loop"}, {"action_type": "add_tag", "tag": "loop"}]}""");
            seeded = true;
        }
    }

    static Envelope customerMessage(String conversationId, String content) {
        Envelope event = message("message_received", conversationId, "customer", content);
        event.data().put("content", content).putObject("contact").put("first_name", "Ana").put("verified", true).putObject("attributes")
                .put("last_purchase", "Espresso machine").put("plan", "premium");
        return event;
    }

    /** A stored message as chat-service announces it: a customer's question as message_received, any other as message_created. */
    private static Envelope message(String type, String conversationId, String senderType, String content) {
        var data = Json.object();
        data.putObject("message").put("id", UUID.randomUUID().toString()).put("sender_type", senderType).put("content", content);
        data.putObject("conversation").put("id", conversationId).put("status", "open").put("channel", "web");
        return Envelope.of(type, "chat-service", conversationId, Cause.NONE, data);
    }

    @Test
    void premiumSupportIsForVerifiedPremiumCustomersNotForAnonymousOnesClaimingThePlan() {
        seed();
        String conversation = UUID.randomUUID().toString();
        Envelope anonymous = customerMessage(conversation, "I need help with my order");
        // the same attributes, typed into the widget by anyone: not verified by the site
        ((com.fasterxml.jackson.databind.node.ObjectNode) anonymous.data().get("contact")).put("verified", false);
        TopicProbe.send(Topics.CHAT_EVENTS, anonymous);
        List<Envelope> ai = aiCommands.awaitEnvelopes(conversation, 1, WAIT);
        assertEquals(List.of("reply_request"), ai.stream().map(Envelope::type).toList());
        assertEquals(List.of(), chatCommands.drain(conversation, java.time.Duration.ofSeconds(2)), "no premium greeting");
    }

    @Test
    void premiumSupportSetsThePromptAndContextThenSendsItsMessageThenRequestsTheReply() {
        seed();
        String conversation = UUID.randomUUID().toString();
        TopicProbe.send(Topics.CHAT_EVENTS, customerMessage(conversation, "I need HELP with my order"));

        List<Envelope> ai = aiCommands.awaitEnvelopes(conversation, 3, WAIT);
        assertEquals(List.of("control_ai_response", "update_ai_context", "reply_request"), ai.stream().map(Envelope::type).toList());
        // the customer's name goes into the instructions as quoted data
        assertEquals("You are a premium support assistant for \"Ana\". Be extra helpful.", ai.get(0).text("custom_prompt"));
        assertEquals("Espresso machine", ai.get(1).data().path("context_data").path("last_purchase").asText());
        assertEquals("billing", ai.get(1).data().path("context_data").path("account_issues").get(0).asText());
        assertEquals("I need HELP with my order", ai.get(2).text("content"));

        List<Envelope> chat = chatCommands.awaitEnvelopes(conversation, 1, WAIT);
        assertEquals("send_message", chat.get(0).type());
        assertEquals("Hello Ana! I've upgraded your support to premium tier.", chat.get(0).text("content"));
        assertEquals("marketing", chat.get(0).text("message_type"));
        assertEquals("workflow", chat.get(0).text("sender_type"));
        String workflowId = chat.get(0).data().path("metadata").path("workflow_id").asText();
        assertEquals(workflowId, chat.get(0).cause().workflowId());

        Awaitility.await().atMost(WAIT).untilAsserted(() -> given().header("Authorization", AGENT)
                .get("/api/workflows/{id}/executions", workflowId).then().statusCode(200)
                .body("find { it.conversation_id == '" + conversation + "' }.outcome", equalTo("succeeded"))
                .body("find { it.conversation_id == '" + conversation + "' }.actions.size()", equalTo(3)));
    }

    @Test
    void spanishSupportStoresTheMessageAsDetectedKeywords() {
        seed();
        String conversation = UUID.randomUUID().toString();
        TopicProbe.send(Topics.CHAT_EVENTS, customerMessage(conversation, "¡Hola!, tengo un problema"));
        // "problema" is not "problem": only the Spanish workflow matches
        List<Envelope> ai = aiCommands.awaitEnvelopes(conversation, 3, WAIT);
        assertEquals(List.of("control_ai_response", "update_ai_context", "reply_request"), ai.stream().map(Envelope::type).toList());
        assertTrue(ai.get(0).text("custom_prompt").startsWith("Eres un asistente"));
        assertEquals("spanish", ai.get(1).data().path("context_data").path("preferred_language").asText());
        assertEquals("¡Hola!, tengo un problema", ai.get(1).data().path("context_data").path("detected_keywords").asText());
    }

    @Test
    void humanHandoffDisablesTheAiBeforeTheReplyRequestAndSetsTheStatus() {
        seed();
        String conversation = UUID.randomUUID().toString();
        TopicProbe.send(Topics.CHAT_EVENTS, customerMessage(conversation, "Can I talk to a human agent?"));
        List<Envelope> ai = aiCommands.awaitEnvelopes(conversation, 2, WAIT);
        assertEquals(List.of("control_ai_response", "reply_request"), ai.stream().map(Envelope::type).toList());
        assertEquals("disable", ai.get(0).text("action"));
        List<Envelope> chat = chatCommands.awaitEnvelopes(conversation, 2, WAIT);
        assertEquals(List.of("send_message", "set_conversation_status"), chat.stream().map(Envelope::type).toList());
        assertEquals("support_active", chat.get(1).text("status"));
    }

    @Test
    void aMessageThatMatchesNothingStillGetsAReplyRequestAndPartsOfWordsDoNotMatch() {
        seed();
        String conversation = UUID.randomUUID().toString();
        TopicProbe.send(Topics.CHAT_EVENTS, customerMessage(conversation, "This was helpful, supportive people"));
        List<Envelope> ai = aiCommands.awaitEnvelopes(conversation, 1, WAIT);
        assertEquals(List.of("reply_request"), aiCommands.drain(conversation, Duration.ofSeconds(1)).stream().map(Envelope::type).toList());
        assertEquals(1, ai.size());
        assertEquals(List.of(), chatCommands.drain(conversation, Duration.ofMillis(200)));
    }

    private static Envelope messageCreated(String conversationId, String senderType, String content) {
        return message("message_created", conversationId, senderType, content);
    }

    @Test
    void whatAgentsAndWorkflowsWriteGoesToTheAisMemoryInOrderAndTheAisOwnAnswersDoNot() {
        seed();
        String conversation = UUID.randomUUID().toString();
        Envelope agent = messageCreated(conversation, "agent", "I have refunded your order");
        TopicProbe.sendAll(Topics.CHAT_EVENTS, List.of(customerMessage(conversation, "where is my refund"),
                messageCreated(conversation, "ai", "Stub answer"), agent, messageCreated(conversation, "workflow", "Rate us 1 to 5"),
                messageCreated(conversation, "customer", "5")));
        List<Envelope> ai = aiCommands.awaitEnvelopes(conversation, 4, WAIT);
        assertEquals(List.of("reply_request", "remember_message", "remember_message", "remember_message"), ai.stream().map(Envelope::type).toList());
        assertEquals(List.of("agent: I have refunded your order", "workflow: Rate us 1 to 5", "customer: 5"), ai.subList(1, 4).stream()
                .map(command -> command.text("sender_type") + ": " + command.text("content")).toList());
        assertEquals(agent.data().path("message").path("id").asText(), ai.get(1).text("message_id"));
        // delivered again (a consumer restart): the same command again, which ai-service keeps once by the message's id
        TopicProbe.send(Topics.CHAT_EVENTS, agent);
        List<Envelope> again = aiCommands.awaitEnvelopes(conversation, 5, WAIT);
        assertEquals(ai.get(1).id(), again.get(4).id());
        assertEquals(5, aiCommands.drain(conversation, Duration.ofSeconds(1)).size(), "nothing else");
    }

    @Test
    void anAgentsPrivateNoteNeverReachesTheAisMemory() {
        seed();
        String conversation = UUID.randomUUID().toString();
        Envelope note = message("note_created", conversation, "agent", "internal: refund approved, do not tell yet");
        ((com.fasterxml.jackson.databind.node.ObjectNode) note.data().get("message")).put("private", true);
        TopicProbe.sendAll(Topics.CHAT_EVENTS, List.of(note, customerMessage(conversation, "any news on my refund")));
        aiCommands.awaitEnvelopes(conversation, 1, WAIT);
        assertEquals(List.of("reply_request"), aiCommands.drain(conversation, Duration.ofSeconds(1)).stream().map(Envelope::type).toList(),
                "the note is for agents only");
    }

    @Test
    void aRedeliveredEventRunsNoWorkflowTwice() {
        seed();
        String conversation = UUID.randomUUID().toString();
        Envelope event = customerMessage(conversation, "human please");
        TopicProbe.send(Topics.CHAT_EVENTS, event);
        TopicProbe.send(Topics.CHAT_EVENTS, event);
        chatCommands.awaitEnvelopes(conversation, 2, WAIT);
        aiCommands.awaitEnvelopes(conversation, 2, WAIT);
        // a rerun would make the same derived command ids; the second delivery makes none at all
        assertEquals(2, chatCommands.drain(conversation, Duration.ofSeconds(2)).size());
        assertEquals(2, aiCommands.drain(conversation, Duration.ofMillis(200)).size());
    }

    @Test
    void conditionsSelectAndChainsStopAtTheDepthLimit() {
        seed();
        String vip = UUID.randomUUID().toString();
        var data = Json.object();
        data.putObject("contact").put("first_name", "Vic").putObject("attributes").put("plan", "vip");
        data.putObject("conversation").put("id", vip);
        TopicProbe.send(Topics.CHAT_EVENTS, Envelope.of("conversation_created", "chat-service", vip, null, data));
        String regular = UUID.randomUUID().toString();
        var regularData = Json.object();
        regularData.putObject("contact").put("first_name", "Reg").putObject("attributes").put("plan", "basic");
        TopicProbe.send(Topics.CHAT_EVENTS, Envelope.of("conversation_created", "chat-service", regular, null, regularData));
        assertEquals("vip", chatCommands.awaitEnvelopes(vip, 1, WAIT).get(0).text("tag"));
        assertEquals(List.of(), chatCommands.drain(regular, Duration.ofSeconds(1)));

        // a tag_added that a workflow caused three hops deep runs nothing more
        String looping = UUID.randomUUID().toString();
        var tagData = Json.object().put("tag", "loop");
        TopicProbe.send(Topics.CHAT_EVENTS, Envelope.of("tag_added", "chat-service", looping, new Cause("e", "w", "x", 2), tagData));
        List<Envelope> commands = chatCommands.awaitEnvelopes(looping, 2, WAIT);
        assertEquals(3, commands.get(0).cause().depth());
        String deep = UUID.randomUUID().toString();
        TopicProbe.send(Topics.CHAT_EVENTS, Envelope.of("tag_added", "chat-service", deep, new Cause("e", "w", "x", 3), tagData));
        assertEquals(List.of(), chatCommands.drain(deep, Duration.ofSeconds(2)));
    }
}
