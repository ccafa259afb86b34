package io.switchboard.workflow.domain;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.switchboard.common.data.Jdbc;
import io.switchboard.contracts.ConversationStatus;
import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.EventType;
import io.switchboard.contracts.Json;
import io.switchboard.contracts.SenderType;

/**
 * When each side of a conversation last wrote, kept from chat events for {@code conversation_idle} triggers, and
 * which waits have fired. Updates take the later time, so a redelivered or late event changes nothing. Every method
 * runs in the caller's transaction. Plain statements: the clock moves with every message, and Hibernate's native query
 * flushed and checked its session each time for tables it does not map.
 */
@ApplicationScoped
public class ConversationClocks {
    /** A conversation that has waited long enough: since when, and its latest conversation and contact. */
    public record Idle(String conversationId, Instant waitStartedAt, ObjectNode snapshot) {
    }

    private final Jdbc jdbc;

    ConversationClocks(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    /** Whether an event moves a clock: messages, and status changes (a resolved or closed conversation waits on no one). */
    public static boolean moves(Envelope event) {
        return event.announcesMessage() || event.is(EventType.CONVERSATION_UPDATED);
    }

    /**
     * Moves the clocks of a batch's events, in their order, in one round trip (a JDBC batch) instead of one an event;
     * each event's upsert keeps the later time of each side, so a clock delivered again or out of turn never moves back.
     */
    public void observeAll(List<Envelope> events) {
        jdbc.batch("""
                insert into conversation_clocks (conversation_id, last_customer_at, last_agent_at, last_reply_at, closed, snapshot, updated_at)
                values (?, cast(? as timestamptz), cast(? as timestamptz), cast(? as timestamptz), ?, cast(? as jsonb), now())
                on conflict (conversation_id) do update set
                  last_customer_at = greatest(conversation_clocks.last_customer_at, excluded.last_customer_at),
                  last_agent_at = greatest(conversation_clocks.last_agent_at, excluded.last_agent_at),
                  last_reply_at = greatest(conversation_clocks.last_reply_at, excluded.last_reply_at),
                  closed = excluded.closed, snapshot = excluded.snapshot, updated_at = now()""",
                events.stream().map(ConversationClocks::row).toList());
    }

    private static Object[] row(Envelope event) {
        JsonNode message = event.data().path("message");
        Instant at = message.hasNonNull("created_at") ? Instant.parse(message.get("created_at").asText())
                : event.time() == null ? Instant.now() : event.time();
        SenderType sender = event.announcesMessage() ? SenderType.parse(message.path("sender_type").asText()).orElse(null) : null;
        String status = event.data().path("conversation").path("status").asText(ConversationStatus.OPEN);
        ObjectNode snapshot = Json.object();
        snapshot.set("conversation", event.data().path("conversation"));
        snapshot.set("contact", event.data().path("contact"));
        return new Object[] {event.subject(),
                sender == SenderType.CUSTOMER ? SqlTimes.param(at) : null,
                sender == SenderType.AGENT ? SqlTimes.param(at) : null,
                sender != null && sender != SenderType.CUSTOMER ? SqlTimes.param(at) : null,
                status.equals("resolved") || status.equals(ConversationStatus.CLOSED),
                Json.write(snapshot)};
    }

    /**
     * Conversations that have waited at least {@code minutes} on that side, since a wait that started after
     * {@code since} (a new or changed workflow does not fire for old waits), and for which this workflow has not fired.
     */
    public List<Idle> idle(UUID workflowId, WaitingOn waitingOn, int minutes, Instant since, int limit) {
        String started = waitingOn == WaitingOn.AGENT ? "last_customer_at" : "last_reply_at";
        String answered = waitingOn == WaitingOn.AGENT ? "last_agent_at" : "last_customer_at";
        return jdbc.query("""
                select c.conversation_id, c.%1$s, cast(c.snapshot as text) from conversation_clocks c
                 where not c.closed and c.%1$s <= ? and c.%1$s >= ?
                   and (c.%2$s is null or c.%2$s < c.%1$s)
                   and not exists (select 1 from idle_firings f where f.workflow_id = ?
                                    and f.conversation_id = c.conversation_id and f.wait_started_at = c.%1$s)
                 order by c.%1$s limit ?""".formatted(started, answered),
                row -> new Idle(row.getString(1), SqlTimes.instant(row.getObject(2, OffsetDateTime.class)), (ObjectNode) Json.read(row.getString(3))),
                SqlTimes.param(Instant.now().minusSeconds(60L * minutes)), SqlTimes.param(since), workflowId, limit);
    }

    /** Records that a workflow fired for a wait; false when it had already (another replica, a rerun). */
    public boolean fired(UUID workflowId, String conversationId, Instant waitStartedAt) {
        return jdbc.update("insert into idle_firings (workflow_id, conversation_id, wait_started_at) values (?, ?, ?) on conflict do nothing",
                workflowId, conversationId, SqlTimes.param(waitStartedAt)) == 1;
    }
}
