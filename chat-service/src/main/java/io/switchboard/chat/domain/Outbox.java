package io.switchboard.chat.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.switchboard.common.data.Jdbc;
import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.Json;

/**
 * The outbox table: events written inside the caller's transaction, read and deleted by the relay after commit.
 * Plain statements, not entities: a row is written once and deleted once, and as an entity each one cost the
 * persistence context's bookkeeping and a dirty check at every flush of its transaction. A transaction's events are
 * written together as it commits, in one round trip (a message's two events, a batch of commands' many), still under
 * the conversation locks its changes took, so their numbers still follow commit order.
 */
@ApplicationScoped
public class Outbox {
    /** Fired on each write; observed after commit to wake the relay at once instead of at its next poll. */
    public record Written() {
    }

    /** A row waiting to be published: the aggregate id is the Kafka key, the payload the envelope JSON. */
    public record Row(long seq, UUID id, String aggregateType, String aggregateId, String type, String payload, String traceParent) {
    }

    /** The kind of thing an outbox row is about, which is also the topic it goes to. */
    public static final String CONVERSATION = "conversation";
    public static final String AGENT = "agent";
    /** One relay at a time, so no two replicas interleave one conversation's events. */
    private static final long RELAY_LOCK = 0x5B0A4D_0001L;

    private static final String INSERT =
            "insert into outbox (id, aggregate_type, aggregate_id, type, payload, trace_parent) values (?, ?, ?, ?, ?::jsonb, ?)";

    private final Event<Written> written;
    private final Jdbc jdbc;
    private final TransactionSynchronizationRegistry transactions;

    Outbox(Event<Written> written, DataSource dataSource, TransactionSynchronizationRegistry transactions) {
        this.written = written;
        this.jdbc = new Jdbc(dataSource);
        this.transactions = transactions;
    }

    /** The current span as a W3C traceparent: the request or the consumed command this change belongs to. */
    static String traceParent() {
        SpanContext span = Span.current().getSpanContext();
        return span.isValid() ? "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex() : null;
    }

    /** A conversation's event, for {@code switchboard.chat-events}, keyed by the conversation. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void add(Envelope envelope) {
        add(CONVERSATION, envelope);
    }

    /** An agent account's event, for {@code switchboard.agent-events}, keyed by the agent. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void addAgentEvent(Envelope envelope) {
        add(AGENT, envelope);
    }

    private void add(String aggregateType, Envelope envelope) {
        pending().add(new Object[] { UUID.fromString(envelope.id()), aggregateType, envelope.subject(), envelope.type(),
                Json.write(envelope), traceParent() });
        written.fire(new Written());
    }

    /** This transaction's rows not written yet; the first registers their write for just before the commit. */
    private List<Object[]> pending() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = (List<Object[]>) transactions.getResource(Outbox.class);
        if (rows == null) {
            List<Object[]> created = new ArrayList<>();
            transactions.putResource(Outbox.class, created);
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                    if (!transactions.getRollbackOnly()) {
                        writePending();
                    }
                }

                @Override
                public void afterCompletion(int status) {
                }
            });
            rows = created;
        }
        return rows;
    }

    /** Writes this transaction's waiting rows now: before it commits, and before it reads the table itself. */
    private void writePending() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = (List<Object[]>) transactions.getResource(Outbox.class);
        if (rows != null && !rows.isEmpty()) {
            jdbc.batch(INSERT, rows);
            rows.clear();
        }
    }

    /**
     * For the relay: takes the oldest rows, in commit order, deleting them in one statement, once it has the relay's
     * lock for this transaction; none while another replica's relay holds it. The transaction then publishes them, and
     * a failed publish rolls the delete back. A lower seq that was not committed yet when they were read is not in the
     * snapshot, so it stays for the next batch. The lock is the statement's own first step (a one-time filter), not a
     * statement of its own: one round trip per batch fewer. Its snapshot is then taken before the lock: rows that a
     * relay which has just let go of the lock deleted are still in it, and the delete skips them (they are gone), so
     * none is published twice. The statement is planned for the table as it is at each
     * run: a plan kept from when the outbox was a page or two scans it whole, and without a timely vacuum its deleted
     * rows make it many pages more. The commit does not wait for the disk ({@code synchronous_commit} off): it only
     * deletes rows already published, so a database crash that loses it publishes them again, which consumers skip,
     * and the relay saves a flush of the log per batch.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Row> take(int limit) {
        writePending();
        List<Row> rows = new ArrayList<>(jdbc.queryPlannedEachRun("""
                delete from outbox where seq = any(array(
                    select seq from outbox
                    where (select pg_try_advisory_xact_lock(?) and set_config('synchronous_commit', 'off', true) = 'off')
                    order by seq limit ?))
                returning seq, id, aggregate_type, aggregate_id, type, payload::text, trace_parent""",
                row -> new Row(row.getLong(1), row.getObject(2, UUID.class), row.getString(3), row.getString(4), row.getString(5),
                        row.getString(6), row.getString(7)),
                RELAY_LOCK, limit));
        // returning gives no order
        rows.sort(Comparator.comparingLong(Row::seq));
        return rows;
    }

    /**
     * Rows waiting, as the span of their sequence numbers (two probes of the primary key). A count read every page of
     * the table, deleted rows included, once a second: without a timely vacuum it was the largest statement of the
     * whole database under load. The span also counts the numbers of rolled-back writes between waiting rows.
     */
    public long waiting() {
        if (transactions.getTransactionKey() != null) {
            writePending();
        }
        return jdbc.query("select coalesce(max(seq) - min(seq) + 1, 0) from outbox", row -> row.getLong(1)).get(0);
    }
}
