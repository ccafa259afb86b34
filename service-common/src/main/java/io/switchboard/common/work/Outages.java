package io.switchboard.common.work;

import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.common.errors.RetriableException;
import org.jboss.logging.Logger;

import io.vertx.redis.client.impl.types.ErrorType;

/**
 * Tells a dependency that is down (PostgreSQL, Redis, the broker) from a record or request that is bad, and waits an
 * outage out. A consumer that gave up after a few seconds would send good records to the dead-letter topic whenever
 * the database restarts; one that waits keeps them, lags for the length of the outage, and catches up. A bad record
 * still fails at once and goes to the dead-letter topic.
 */
public final class Outages {
    private static final Logger LOG = Logger.getLogger(Outages.class);
    /** How long a consumer holds one record through an outage before it lets the failure through. */
    public static final Duration CONSUMER_PATIENCE = Duration.ofMinutes(5);
    private static final long FIRST_DELAY_MS = 200;
    private static final long MAX_DELAY_MS = 5_000;
    /** What Agroal (the Quarkus connection pool) throws when its acquisition timeout passes. */
    static final String POOL_EXHAUSTED = "Sorry, acquisition timeout!";

    /** An outage outlasted the patience: the record is given up on (dead-letter topic) rather than retried again. */
    public static final class PatienceExhausted extends RuntimeException {
        PatienceExhausted(Duration patience, Exception last) {
            super("a dependency stayed unavailable for " + patience + ": " + last, last);
        }
    }

    /** Work that may fail because a dependency is down. */
    @FunctionalInterface
    public interface Work {
        void run() throws Exception;
    }

    private Outages() {
    }

    /** True when the failure says a dependency is unreachable or going away, not that the work itself is wrong. */
    public static boolean isOutage(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof ConnectException || t instanceof ClosedChannelException
                    || t instanceof TimeoutException || t instanceof RetriableException) {
                return true;
            }
            // 08: connection exceptions; 57P: the server is shutting down, restarting or not accepting yet
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
            // Redis dropped the connection a command was on (shutting down), or is loading its data after a start
            if (t instanceof ErrorType redis && (redis.is("CONNECTION_CLOSED") || redis.is("LOADING"))) {
                return true;
            }
            // the pool had no connection free within its acquisition timeout: the database is slow or overloaded, which
            // passes; Agroal says so only in the message of a plain SQLException
            if (t instanceof SQLException sql && sql.getSQLState() == null && POOL_EXHAUSTED.equals(sql.getMessage())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs the work; while it fails with an outage, waits (backoff up to 5 s) and runs it again, for up to
     * {@code patience}, then throws {@link PatienceExhausted}, which consumers do not retry further.
     */
    public static void waitOut(Duration patience, Work work) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        long delay = FIRST_DELAY_MS;
        for (int attempt = 1;; attempt++) {
            try {
                work.run();
                if (attempt > 1) {
                    LOG.infof("dependency back after %d attempts", attempt);
                }
                return;
            } catch (Exception e) {
                if (!isOutage(e)) {
                    throw e;
                }
                if (System.nanoTime() + delay * 1_000_000 > deadline) {
                    throw new PatienceExhausted(patience, e);
                }
                LOG.warnf("dependency unavailable (%s), trying again in %d ms", e.toString(), delay);
                Thread.sleep(delay);
                delay = Math.min(delay * 2, MAX_DELAY_MS);
            }
        }
    }
}
