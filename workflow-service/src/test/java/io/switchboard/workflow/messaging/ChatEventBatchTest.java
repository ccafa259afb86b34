package io.switchboard.workflow.messaging;

import static io.restassured.RestAssured.given;
import static io.switchboard.workflow.WorkflowApiTest.AGENT;
import static io.switchboard.workflow.WorkflowApiTest.create;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.opentelemetry.context.Context;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.common.messaging.EnvelopeBatch;
import io.switchboard.contracts.Cause;
import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.EventType;
import io.switchboard.contracts.Json;
import io.switchboard.testing.KafkaTestResource;
import io.switchboard.testing.PostgresTestResource;

/**
 * A batch of chat events is stored in one transaction in the batch's order: what an event stores depends on what the
 * conversation's earlier events stored, although all of the batch's workflows are planned before any of it is stored.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class ChatEventBatchTest {
    @Inject
    ChatEventConsumer consumer;

    @Inject
    DataSource dataSource;

    private static EnvelopeBatch.Item event(EventType type, String conversationId, String status, String content) {
        var data = Json.object();
        data.putObject("contact").put("first_name", "Ana");
        data.putObject("conversation").put("id", conversationId).put("status", status).put("channel", "web");
        if (content != null) {
            ObjectNode message = data.putObject("message").put("id", UUID.randomUUID().toString()).put("sender_type", "customer")
                    .put("content", content);
            data.put("content", message.path("content").asText());
        }
        return new EnvelopeBatch.Item(Envelope.of(type, "chat-service", conversationId, Cause.NONE, data), Context.root());
    }

    /** A customer's message as chat-service announces it: one event, which moves the clock and runs the workflows. */
    private static EnvelopeBatch.Item customerSays(String conversationId, String content) {
        return event(EventType.MESSAGE_RECEIVED, conversationId, "open", content);
    }

    private static EnvelopeBatch.Item closed(String conversationId) {
        return event(EventType.CONVERSATION_UPDATED, conversationId, "closed", null);
    }

    /** A workflow that a message with the keyword starts and that then waits ten minutes: its id. */
    private static String waitingWorkflow(String keyword) {
        return create("""
                {"name": "Batch %s", "trigger": {"when_type": "receive_message", "keywords": ["%s"]},
                 "actions": [{"action_type": "wait", "seconds": 600}, {"action_type": "send_message", "message": "later"}]}"""
                .formatted(keyword, keyword));
    }

    private List<String> column(String query, String conversationId) throws Exception {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setString(1, conversationId);
            List<String> values = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        }
    }

    @Test
    void aCloseCancelsTheWaitsStoredBeforeItInItsBatchAndNotThoseAfterIt() throws Exception {
        String id = waitingWorkflow("zebra batch");
        String waitThenClose = UUID.randomUUID().toString();
        String closeThenWait = UUID.randomUUID().toString();
        List<EnvelopeBatch.Item> batch = new ArrayList<>();
        batch.add(closed(closeThenWait));
        batch.add(customerSays(waitThenClose, "zebra batch one"));
        batch.add(customerSays(closeThenWait, "zebra batch two"));
        batch.add(closed(waitThenClose));

        consumer.handle(batch);

        String outcome = "select outcome from executions where conversation_id = ?";
        String waiting = "select status from waiting_runs where conversation_id = ?";
        assertEquals(List.of("cancelled"), column(outcome, waitThenClose), "closed after its wait was stored");
        assertEquals(List.of("cancelled"), column(waiting, waitThenClose));
        assertEquals(List.of("waiting"), column(outcome, closeThenWait), "its wait came after the close");
        assertEquals(List.of("waiting"), column(waiting, closeThenWait));
        // the messages' bookkeeping went into the same transaction: both clocks moved, in order
        assertEquals(List.of("true"), column("select closed::text from conversation_clocks where conversation_id = ?", waitThenClose));
        assertEquals(List.of("false"), column("select closed::text from conversation_clocks where conversation_id = ?", closeThenWait));
        assertNotNull(column("select last_customer_at from conversation_clocks where conversation_id = ?", closeThenWait).get(0));

        // delivered again (a crash before the offsets were committed): nothing stored twice, and the close does not
        // cancel again the wait that the message after it started
        consumer.handle(batch);
        assertEquals(List.of("cancelled"), column(outcome, waitThenClose));
        assertEquals(List.of("waiting"), column(outcome, closeThenWait), "a close delivered again cancels nothing new");
        assertEquals(List.of("waiting"), column(waiting, closeThenWait));
        given().header("Authorization", AGENT).delete("/api/workflows/{id}", id).then().statusCode(204);
    }

    /**
     * The batch's marks go in one statement, and an event the relay sent twice, both in one batch, is stored once: its
     * second copy, after a close, must not bring back the wait that the close cancelled.
     */
    @Test
    void anEventTwiceInItsBatchIsStoredOnce() throws Exception {
        String id = waitingWorkflow("yak batch");
        String conversation = UUID.randomUUID().toString();
        EnvelopeBatch.Item twice = customerSays(conversation, "yak batch one");
        List<EnvelopeBatch.Item> batch = List.of(twice, closed(conversation), twice);

        consumer.handle(batch);
        consumer.handle(batch);

        assertEquals(List.of("cancelled"), column("select outcome from executions where conversation_id = ?", conversation),
                "the copy after the close stored nothing");
        assertEquals(List.of("cancelled"), column("select status from waiting_runs where conversation_id = ?", conversation));
        assertEquals(List.of("1"), column("select count(*)::text from processed_messages where consumer = 'chat-events' "
                + "and message_id = ?", twice.id()));
        given().header("Authorization", AGENT).delete("/api/workflows/{id}", id).then().statusCode(204);
    }

    /** A message of one side at a time, as chat-service announces it. */
    private static EnvelopeBatch.Item message(EventType type, String conversationId, String sender, String createdAt) {
        var item = event(type, conversationId, "open", "hello");
        ((ObjectNode) item.envelope().data().get("message")).put("sender_type", sender).put("created_at", createdAt);
        return item;
    }

    /**
     * A batch's clocks move in one round trip, in the batch's order: each side keeps its latest time, a conversation's
     * latest event sets whether it is closed, and a batch delivered again (or an older one late) moves no clock back.
     */
    @Test
    void aBatchMovesEachConversationsClockToItsLatestTimes() throws Exception {
        String conversation = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();
        List<EnvelopeBatch.Item> batch = List.of(
                message(EventType.MESSAGE_RECEIVED, conversation, "customer", "2026-12-03T10:00:00Z"),
                message(EventType.MESSAGE_CREATED, other, "ai", "2026-12-03T10:00:01Z"),
                message(EventType.MESSAGE_CREATED, conversation, "ai", "2026-12-03T10:00:02Z"),
                closed(other),
                message(EventType.MESSAGE_RECEIVED, conversation, "customer", "2026-12-03T10:00:03Z"));

        consumer.handle(batch);

        String clock = "select concat_ws(' ', to_char(last_customer_at at time zone 'UTC', 'HH24:MI:SS'),"
                + " to_char(last_reply_at at time zone 'UTC', 'HH24:MI:SS'), closed::text) from conversation_clocks where conversation_id = ?";
        assertEquals(List.of("10:00:03 10:00:02 false"), column(clock, conversation));
        assertEquals(List.of("10:00:01 true"), column(clock, other));

        // the first three events again, late: the clocks keep their later times
        consumer.handle(batch.subList(0, 3));
        assertEquals(List.of("10:00:03 10:00:02 false"), column(clock, conversation));
        assertEquals(List.of("10:00:01"), column("select to_char(last_reply_at at time zone 'UTC', 'HH24:MI:SS')"
                + " from conversation_clocks where conversation_id = ?", other));
    }
}
