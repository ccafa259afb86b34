package io.switchboard.common.messaging;

import org.jboss.logging.Logger;

import io.switchboard.common.domain.DomainException;
import io.switchboard.common.work.Outages;

/**
 * How a consumer tries its work again: it waits out an outage of a dependency (up to {@link Outages#CONSUMER_PATIENCE})
 * and retries any other failure with backoff, up to {@link #MAX_RETRIES} times. A failure that can never succeed (bad
 * input, a refused command) is let through at once, so that its record goes to the dead-letter topic and the partition
 * moves on.
 */
public final class ConsumerRetries {
    private static final Logger LOG = Logger.getLogger(ConsumerRetries.class);
    static final int MAX_RETRIES = 6;
    private static final long FIRST_DELAY_MS = 200;
    private static final long MAX_DELAY_MS = 5_000;

    private ConsumerRetries() {
    }

    /** Runs the work until it succeeds, fails for good, or has been retried {@link #MAX_RETRIES} times. */
    public static void retrying(String what, Outages.Work work) throws Exception {
        long delay = FIRST_DELAY_MS;
        for (int retry = 0;; retry++) {
            try {
                Outages.waitOut(Outages.CONSUMER_PATIENCE, work);
                return;
            } catch (Exception e) {
                if (isPermanent(e) || retry == MAX_RETRIES) {
                    LOG.warnf("%s failed for good: %s", what, e);
                    throw e;
                }
                LOG.warnf("%s failed (%s), retrying in %d ms", what, e, delay);
                Thread.sleep(delay);
                delay = Math.min(delay * 2, MAX_DELAY_MS);
            }
        }
    }

    /** A failure that another try cannot fix: bad input, a refusal, or an outage that outlasted the patience. */
    static boolean isPermanent(Exception e) {
        return e instanceof IllegalArgumentException || e instanceof DomainException || e instanceof Outages.PatienceExhausted;
    }
}
