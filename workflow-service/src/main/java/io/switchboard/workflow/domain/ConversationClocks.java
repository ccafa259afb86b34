package io.switchboard.workflow.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.switchboard.contracts.ConversationStatus;
import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.EventType;
import io.switchboard.contracts.Json;
import io.switchboard.contracts.SenderType;

/**
 * When each side of a conversation last wrote, kept from chat events for {@code conversation_idle} triggers, and
 * which waits have fired. Updates take the later time, so a redelivered or late event changes nothing. Every method
 * runs in the caller's transaction.
 */
@ApplicationScoped
public class ConversationClocks {
    /** A conversation that has waited long enough: since when, and its latest conversation and contact. */
    public record Idle(String conversationId, Instant waitStartedAt, ObjectNode snapshot) {
    }

    private final EntityManager em;

    ConversationClocks(EntityManager em) {
        this.em = em;
    }

    /** Whether an event moves a clock: messages, and status changes (a resolved or closed conversation waits on no one). */
    public static boolean moves(Envelope event) {
        return event.is(EventType.MESSAGE_CREATED) || event.is(EventType.CONVERSATION_UPDATED);
    }

    public void observe(Envelope event) {
        JsonNode message = event.data().path("message");
        Instant at = message.hasNonNull("created_at") ? Instant.parse(message.get("created_at").asText())
                : event.time() == null ? Instant.now() : event.time();
        SenderType sender = event.is(EventType.MESSAGE_CREATED) ? SenderType.parse(message.path("sender_type").asText()).orElse(null) : null;
        String status = event.data().path("conversation").path("status").asText(ConversationStatus.OPEN);
        ObjectNode snapshot = Json.object();
        snapshot.set("conversation", event.data().path("conversation"));
        snapshot.set("contact", event.data().path("contact"));
        em.createNativeQuery("""
                insert into conversation_clocks (conversation_id, last_customer_at, last_agent_at, last_reply_at, closed, snapshot, updated_at)
                values (?1, cast(?2 as timestamptz), cast(?3 as timestamptz), cast(?4 as timestamptz), ?5, cast(?6 as jsonb), now())
                on conflict (conversation_id) do update set
                  last_customer_at = greatest(conversation_clocks.last_customer_at, excluded.last_customer_at),
                  last_agent_at = greatest(conversation_clocks.last_agent_at, excluded.last_agent_at),
                  last_reply_at = greatest(conversation_clocks.last_reply_at, excluded.last_reply_at),
                  closed = excluded.closed, snapshot = excluded.snapshot, updated_at = now()""")
                .setParameter(1, event.subject())
                .setParameter(2, sender == SenderType.CUSTOMER ? SqlTimes.param(at) : null)
                .setParameter(3, sender == SenderType.AGENT ? SqlTimes.param(at) : null)
                .setParameter(4, sender != null && sender != SenderType.CUSTOMER ? SqlTimes.param(at) : null)
                .setParameter(5, status.equals("resolved") || status.equals(ConversationStatus.CLOSED))
                .setParameter(6, Json.write(snapshot))
                .executeUpdate();
    }

    /**
     * Conversations that have waited at least {@code minutes} on that side, since a wait that started after
     * {@code since} (a new or changed workflow does not fire for old waits), and for which this workflow has not fired.
     */
    @SuppressWarnings("unchecked")
    public List<Idle> idle(UUID workflowId, WaitingOn waitingOn, int minutes, Instant since, int limit) {
        String started = waitingOn == WaitingOn.AGENT ? "last_customer_at" : "last_reply_at";
        String answered = waitingOn == WaitingOn.AGENT ? "last_agent_at" : "last_customer_at";
        List<Object[]> rows = em.createNativeQuery("""
                select c.conversation_id, c.%1$s, cast(c.snapshot as text) from conversation_clocks c
                 where not c.closed and c.%1$s <= ?1 and c.%1$s >= ?2
                   and (c.%2$s is null or c.%2$s < c.%1$s)
                   and not exists (select 1 from idle_firings f where f.workflow_id = ?3
                                    and f.conversation_id = c.conversation_id and f.wait_started_at = c.%1$s)
                 order by c.%1$s limit ?4""".formatted(started, answered))
                .setParameter(1, SqlTimes.param(Instant.now().minusSeconds(60L * minutes)))
                .setParameter(2, SqlTimes.param(since)).setParameter(3, workflowId).setParameter(4, limit)
                .getResultList();
        return rows.stream().map(row -> new Idle((String) row[0], SqlTimes.instant(row[1]), (ObjectNode) Json.read((String) row[2])))
                .toList();
    }

    /** Records that a workflow fired for a wait; false when it had already (another replica, a rerun). */
    public boolean fired(UUID workflowId, String conversationId, Instant waitStartedAt) {
        return em.createNativeQuery("insert into idle_firings (workflow_id, conversation_id, wait_started_at) values (?1, ?2, ?3) on conflict do nothing")
                .setParameter(1, workflowId).setParameter(2, conversationId).setParameter(3, SqlTimes.param(waitStartedAt))
                .executeUpdate() == 1;
    }
}
