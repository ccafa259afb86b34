package io.switchboard.common.data;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

import javax.sql.DataSource;

import org.jboss.logging.Logger;

/**
 * Forgets bookkeeping rows that can no longer matter (ids of records processed long ago, finished workflow waits), in
 * batches of a few thousand rows, each its own statement: a large backlog never holds locks or one long transaction,
 * and replicas pruning at the same time only share the work. Without it those tables grow by every message forever.
 */
public final class Retention {
    private static final Logger LOG = Logger.getLogger(Retention.class);
    static final int BATCH = 5_000;

    /** A table's rows older than the retention: {@code condition} has one parameter, the oldest time kept. */
    public record Rule(String table, String condition) {
    }

    private final Jdbc jdbc;
    private final Duration keep;

    public Retention(DataSource dataSource, Duration keep) {
        if (keep.isNegative() || keep.isZero()) {
            throw new IllegalArgumentException("a retention must be longer than zero, not " + keep);
        }
        this.jdbc = new Jdbc(dataSource);
        this.keep = keep;
    }

    /** As {@link #prune}, for a scheduled job: a failure (the database away) is logged, the next run tries again. */
    public void pruneOrLog(Rule... rules) {
        try {
            prune(rules);
        } catch (RuntimeException e) {
            LOG.warnf("retention: could not delete old rows, trying again next time: %s", e.toString());
        }
    }

    /** Deletes what each rule finds older than the retention; returns the rows deleted. */
    public long prune(Rule... rules) {
        Timestamp oldestKept = Timestamp.from(Instant.now().minus(keep));
        long total = 0;
        for (Rule rule : rules) {
            // fixed SQL of the service's own rules, never input; ctid picks a bounded batch
            String sql = "delete from " + rule.table() + " where ctid = any(array(select ctid from " + rule.table() + " where "
                    + rule.condition() + " limit " + BATCH + "))";
            int deleted;
            long ofTable = 0;
            do {
                deleted = jdbc.update(sql, oldestKept);
                ofTable += deleted;
            } while (deleted == BATCH);
            if (ofTable > 0) {
                LOG.infof("retention: %d rows of %s older than %s deleted", ofTable, rule.table(), keep);
            }
            total += ofTable;
        }
        return total;
    }
}
