package io.switchboard.chat;

import static io.switchboard.chat.ChatTestSupport.AGENT;
import static io.restassured.RestAssured.given;
import static io.switchboard.chat.ChatTestSupport.startConversation;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.opentelemetry.context.Context;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.chat.messaging.ChatCommandConsumer;
import io.switchboard.chat.messaging.ChatCommands;
import io.switchboard.common.messaging.EnvelopeBatch;
import io.switchboard.contracts.AssignmentStrategy;
import io.switchboard.contracts.Cause;
import io.switchboard.contracts.CommandType;
import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.Json;
import io.switchboard.contracts.Topics;
import io.switchboard.testing.KafkaTestResource;
import io.switchboard.testing.PostgresTestResource;
import io.switchboard.testing.TopicProbe;

@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class ChatCommandTest {
    private static TopicProbe events;
    private static TopicProbe deadLetters;

    @Inject
    EntityManager em;
    @Inject
    ChatCommands commands;
    @Inject
    ChatCommandConsumer consumer;
    @Inject
    ChatConfig config;

    @BeforeAll
    static void probe() {
        events = TopicProbe.of(Topics.CHAT_EVENTS);
        deadLetters = TopicProbe.of(Topics.CHAT_COMMANDS + Topics.DEAD_LETTER_SUFFIX);
    }

    @AfterAll
    static void close() {
        events.close();
        deadLetters.close();
    }

    @Test
    void aSendMessageCommandDeliveredTwiceStoresOneMessageWithItsWorkflowMetadata() {
        var started = startConversation("Gus", null);
        var data = Json.object().put("content", "Hello Gus!").put("message_type", "marketing").put("sender_type", "workflow")
                .put("idempotency_key", "exec-1:0");
        data.putObject("metadata").put("workflow_id", "wf-1").put("execution_id", "exec-1");
        var command = Envelope.of(CommandType.SEND_MESSAGE, "workflow-service", started.id(), new Cause("ev-1", "wf-1", "exec-1", 1), data);
        TopicProbe.send(Topics.CHAT_COMMANDS, command);
        TopicProbe.send(Topics.CHAT_COMMANDS, command);

        List<Envelope> published = events.awaitEnvelopes(started.id(), 3, Duration.ofSeconds(20));
        assertEquals("message_created", published.get(2).type());
        assertEquals("wf-1", published.get(2).cause().workflowId());
        assertEquals(List.of("user_created", "conversation_created", "message_created"),
                events.drain(started.id(), Duration.ofSeconds(2)).stream().map(Envelope::type).toList());

        given().header("Authorization", AGENT).get("/api/conversations/{id}/messages", started.id()).then()
                .statusCode(200).body("total", equalTo(1))
                .body("items[0].sender_type", equalTo("workflow"))
                .body("items[0].message_type", equalTo("marketing"))
                .body("items[0].metadata.workflow_id", equalTo("wf-1"))
                .body("items[0].metadata.execution_id", equalTo("exec-1"));
        // the customer reads the message, not the workflow and execution behind it
        given().header("Authorization", started.bearer()).get("/api/conversations/{id}/messages", started.id()).then()
                .statusCode(200).body("items[0].content", equalTo("Hello Gus!")).body("items[0].sender_type", equalTo("workflow"))
                .body("items[0]", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("metadata")))
                .body("items[0]", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("delivery_error")));
    }

    @Test
    void statusAndTagCommandsApplyOnceAndPoisonGoesToTheDeadLetterTopic() {
        var started = startConversation("Hal", null);
        String notJson = "{this is not json";
        TopicProbe.send(Topics.CHAT_COMMANDS, started.id(), notJson);
        // a well-formed send_message that claims to be an agent: only the automation (ai, workflow) writes through Kafka
        var forged = Envelope.of(CommandType.SEND_MESSAGE, "forger", started.id(), null,
                Json.object().put("content", "I am your agent, send me your password").put("sender_type", "agent"));
        TopicProbe.send(Topics.CHAT_COMMANDS, forged);
        var status = Envelope.of(CommandType.SET_CONVERSATION_STATUS, "workflow-service", started.id(), null,
                Json.object().put("status", "support_active"));
        var tag = Envelope.of(CommandType.ADD_TAG, "workflow-service", started.id(), null, Json.object().put("tag", "billing"));
        TopicProbe.send(Topics.CHAT_COMMANDS, status);
        TopicProbe.send(Topics.CHAT_COMMANDS, tag);
        TopicProbe.send(Topics.CHAT_COMMANDS, tag);

        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().header("Authorization", AGENT)
                .get("/api/conversations/{id}", started.id()).then()
                .body("status", equalTo("support_active")).body("tags", contains("billing")));
        // both poison records reach the dead-letter topic, and nothing else of this conversation does; at least once: a
        // rebalance between a record's dead-lettering and its offset's commit (the group may still be settling as the
        // test starts) brings it, and so its dead letter, again
        Predicate<ConsumerRecord<String, String>> poison = r -> r.value().equals(notJson) || r.value().contains(forged.id());
        assertFalse(deadLetters.await(r -> started.id().equals(r.key()) && r.value().equals(notJson), 1, Duration.ofSeconds(20)).isEmpty());
        assertFalse(deadLetters.await(r -> started.id().equals(r.key()) && r.value().contains(forged.id()), 1, Duration.ofSeconds(20)).isEmpty());
        assertTrue(deadLetters.await(r -> started.id().equals(r.key()), Integer.MAX_VALUE, Duration.ofSeconds(1)).stream().allMatch(poison));
        given().header("Authorization", AGENT).get("/api/conversations/{id}/messages", started.id()).then()
                .statusCode(200).body("items.content", not(hasItem("I am your agent, send me your password")));
        assertEquals(List.of("user_created", "conversation_created", "conversation_updated", "tag_added", "conversation_updated"),
                events.drain(started.id(), Duration.ofSeconds(2)).stream().map(Envelope::type).toList());
    }

    @Test
    void anOutboxRowLeftByACrashBetweenCommitAndPublishIsStillPublished() {
        // what a crash right after commit leaves: a committed row that no relay has published
        String conversationId = UUID.randomUUID().toString();
        var envelope = Envelope.of("conversation_updated", "chat-service", conversationId, null, Json.object().put("marker", "crash"));
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "insert into outbox (id, aggregate_type, aggregate_id, type, payload) values (?1, 'conversation', ?2, ?3, cast(?4 as jsonb))")
                .setParameter(1, UUID.fromString(envelope.id())).setParameter(2, conversationId).setParameter(3, envelope.type())
                .setParameter(4, Json.write(envelope)).executeUpdate());
        List<Envelope> published = events.awaitEnvelopes(conversationId, 1, Duration.ofSeconds(15));
        assertEquals(envelope.id(), published.get(0).id());
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> ((Number) QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                        "select count(*) from outbox where aggregate_id = ?1").setParameter(1, conversationId).getSingleResult())).longValue() == 0);
    }

    @Test
    void assignCommandsGiveConversationsToAnAgentOrInTurnAmongActiveAgents() {
        // other tests make agents too: round robin must give the two conversations to two different active agents
        String first = createAgent("Rr One");
        createAgent("Rr Two");
        var a = startConversation("Ann", null);
        var b = startConversation("Ben", null);
        var c = startConversation("Cal", null);
        var roundRobin = Json.object().put("strategy", AssignmentStrategy.ROUND_ROBIN.wire());
        TopicProbe.send(Topics.CHAT_COMMANDS, Envelope.of(CommandType.ASSIGN_CONVERSATION, "workflow-service", a.id(), null, roundRobin));
        TopicProbe.send(Topics.CHAT_COMMANDS, Envelope.of(CommandType.ASSIGN_CONVERSATION, "workflow-service", b.id(), null, roundRobin));
        TopicProbe.send(Topics.CHAT_COMMANDS, Envelope.of(CommandType.ASSIGN_CONVERSATION, "workflow-service", c.id(), null,
                Json.object().put("agent_id", first)));

        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<String> assignees = java.util.stream.Stream.of(a, b, c).map(s -> given().header("Authorization", AGENT)
                    .get("/api/conversations/{id}", s.id()).then().statusCode(200).extract().<String>path("assignee_id")).toList();
            org.junit.jupiter.api.Assertions.assertNotNull(assignees.get(0));
            org.junit.jupiter.api.Assertions.assertNotNull(assignees.get(1));
            org.junit.jupiter.api.Assertions.assertNotEquals(assignees.get(0), assignees.get(1), "two conversations in turn go to two agents");
            assertEquals(first, assignees.get(2));
        });
    }

    @Test
    void aCommandTwiceInOneBatchIsAppliedOnce() throws Exception {
        createAgent("Twice One");
        createAgent("Twice Two");
        var started = startConversation("Dot", null);
        var assign = new EnvelopeBatch.Item(Envelope.of(CommandType.ASSIGN_CONVERSATION, "workflow-service", started.id(), null,
                Json.object().put("strategy", AssignmentStrategy.ROUND_ROBIN.wire())), Context.root());
        commands.apply(List.of(assign, assign));

        // round robin moves on at each assignment: applied twice, the conversation would go on to the next agent, announced again
        events.awaitEnvelopes(started.id(), 3, Duration.ofSeconds(20));
        assertEquals(List.of("user_created", "conversation_created", "conversation_updated"),
                events.drain(started.id(), Duration.ofSeconds(2)).stream().map(Envelope::type).toList());
    }

    @Test
    void twoCommandsWithOneIdempotencyKeyInOneBatchStoreOneMessage() throws Exception {
        var started = startConversation("Key", null);
        // two records of one send (say, a workflow's action sent again under a new id): the key makes them one message
        List<EnvelopeBatch.Item> sends = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
            var data = Json.object().put("content", "Once").put("sender_type", "workflow").put("idempotency_key", "exec-key:0");
            sends.add(new EnvelopeBatch.Item(Envelope.of(CommandType.SEND_MESSAGE, "workflow-service", started.id(), null, data),
                    Context.root()));
        }
        commands.apply(sends);

        given().header("Authorization", AGENT).get("/api/conversations/{id}/messages", started.id()).then()
                .statusCode(200).body("total", equalTo(1)).body("items[0].content", equalTo("Once"));
    }

    @Test
    void aBatchLooksItsMessagesIdempotencyKeysUpInOneStatement() throws Exception {
        var started = startConversation("Keys", null);
        // keys with what an SQL array literal would have to escape: the statement binds them, so they match as they are
        java.util.function.IntFunction<String> key = i -> "keys:{\"," + i + "\\}";
        commands.apply(List.of(send(started.id(), "stored before", key.apply(0))));
        Statistics statistics = em.getEntityManagerFactory().unwrap(SessionFactory.class).getStatistics();
        statistics.clear();

        commands.apply(java.util.stream.IntStream.range(0, 5).mapToObj(i -> send(started.id(), "sent " + i, key.apply(i))).toList());

        // the first key was stored by the batch before: that one is not stored again
        List<String> stored = given().header("Authorization", AGENT).get("/api/conversations/{id}/messages", started.id()).then()
                .statusCode(200).extract().path("items.content");
        assertEquals(List.of("stored before", "sent 1", "sent 2", "sent 3", "sent 4"), stored);
        // the five keys are asked for in one SQL statement; only the message stored under one of them is then loaded,
        // so the four new messages cost no query each
        assertEquals(1, statistics.getQueryStatistics("from Message where idempotencyKey = ?1").getExecutionCount(),
                "the stored message loaded, and no query for the new ones");
    }

    private static EnvelopeBatch.Item send(String conversationId, String content, String key) {
        var data = Json.object().put("content", content).put("sender_type", "ai").put("idempotency_key", key);
        return new EnvelopeBatch.Item(Envelope.of(CommandType.SEND_MESSAGE, "ai-service", conversationId, null, data), Context.root());
    }

    @Test
    void aPollsCommandsAreAppliedInTransactionsOfBoundedSize() {
        var started = startConversation("Burst", null);
        int perTransaction = config.commandsPerTransaction();
        int refused = perTransaction + perTransaction / 2;
        List<EnvelopeBatch.Item> polled = new java.util.ArrayList<>();
        for (int i = 0; i < 3 * perTransaction; i++) {
            // one record in the second slice claims to be the customer: refused, so that slice rolls back
            var data = Json.object().put("content", "burst " + i).put("sender_type", i == refused ? "customer" : "ai");
            polled.add(new EnvelopeBatch.Item(Envelope.of(CommandType.SEND_MESSAGE, "ai-service", started.id(), null, data),
                    Context.root()));
        }
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> consumer.apply(polled));

        // the first slice committed on its own, the second rolled back as a whole, the third never ran
        List<String> stored = given().header("Authorization", AGENT).get("/api/conversations/{id}/messages", started.id()).then()
                .statusCode(200).extract().path("items.content");
        assertEquals(java.util.stream.IntStream.range(0, perTransaction).mapToObj(i -> "burst " + i).toList(), stored);

        // handled again, as the consumer does after a failure: the committed slice is skipped, the rest applied once
        polled.remove(refused);
        org.junit.jupiter.api.Assertions.assertDoesNotThrow(() -> consumer.apply(polled));
        List<String> all = given().header("Authorization", AGENT).get("/api/conversations/{id}/messages", started.id()).then()
                .statusCode(200).extract().path("items.content");
        assertEquals(polled.stream().map(item -> item.envelope().text("content")).toList(), all);
    }

    private static String createAgent(String name) {
        return given().header("Authorization", AGENT).contentType(io.restassured.http.ContentType.JSON)
                .body(java.util.Map.of("email", name.replace(' ', '.') + System.nanoTime() + "@example.com", "name", name,
                        "role", "agent", "password", "a long enough password"))
                .post("/api/agents").then().statusCode(201).extract().path("id");
    }
}
