package io.switchboard.common.messaging;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import io.switchboard.common.data.Jdbc;
import io.switchboard.common.data.Retention;

/**
 * The ids of the records one consumer has processed, in the service's table {@code processed_messages}
 * ({@code consumer, message_id, processed_at}), so a redelivered record changes nothing twice. Every consumer that
 * must be idempotent uses it: either it records the id in the transaction of its own changes ({@link #record} is then
 * the check too), or it checks first and records after its side effects were acknowledged.
 */
public final class ProcessedLog {
    /**
     * Processed ids older than the retention: a record that old cannot be delivered again once the topics' retention
     * (Kafka's default: 7 days) is shorter than this service's.
     */
    public static final Retention.Rule OLD_IDS = new Retention.Rule("processed_messages", "processed_at < ?");

    private final Jdbc jdbc;
    private final String consumer;

    public ProcessedLog(DataSource dataSource, String consumer) {
        this.jdbc = new Jdbc(dataSource);
        this.consumer = consumer;
    }

    public boolean contains(String messageId) {
        return !jdbc.query("select 1 from processed_messages where consumer = ? and message_id = ?", row -> 1, consumer, messageId)
                .isEmpty();
    }

    /**
     * Which of these ids are recorded: one query for a batch, one primary-key probe per id. Written as a lateral
     * subquery that cannot be flattened ({@code offset 0}) because {@code message_id = any(?)} let PostgreSQL's generic
     * plan (a statement prepared once and run many times) look up the consumer alone and filter its whole log, so a
     * lookup read every id the consumer had recorded (thousands of rows per message in the benchmark, growing with the
     * table) until something analyzed the table again.
     */
    public Set<String> recorded(Collection<String> messageIds) {
        if (messageIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.query("select recorded.message_id from unnest(?::text[]) as batch(id) cross join lateral "
                + "(select message_id from processed_messages where consumer = ? and message_id = batch.id offset 0) as recorded",
                row -> row.getString(1), messageIds.toArray(String[]::new), consumer));
    }

    /** Records the ids in one statement; returns those that were not recorded before. */
    public Set<String> recordAll(Collection<String> messageIds) {
        if (messageIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.query("insert into processed_messages (consumer, message_id) select ?, unnest(?::text[]) "
                + "on conflict do nothing returning message_id", row -> row.getString(1), consumer, messageIds.toArray(String[]::new)));
    }

    /**
     * The marks of a batch, to be asked for one by one in the transaction that stores the batch's work: the first
     * question records all the ids in one statement (instead of a statement per id), and each id answers true once,
     * when it was not recorded before, so the same record twice in a batch (a relay that sent it again) counts once.
     */
    public Marks marks(Collection<String> messageIds) {
        return new Marks(List.copyOf(messageIds));
    }

    /** See {@link #marks}. */
    public final class Marks {
        private final List<String> ids;
        private Set<String> unrecorded;

        private Marks(List<String> ids) {
            this.ids = ids;
        }

        /** Whether this is the id's first time: recorded now, and not asked for before in this batch. */
        public boolean firstTime(String messageId) {
            if (unrecorded == null) {
                unrecorded = recordAll(ids);
            }
            return unrecorded.remove(messageId);
        }
    }

    /** Records the id; false when it was recorded already (by this or a concurrent delivery). */
    public boolean record(String messageId) {
        return jdbc.update("insert into processed_messages (consumer, message_id) values (?, ?) on conflict do nothing",
                consumer, messageId) == 1;
    }
}
