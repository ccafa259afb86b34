package io.switchboard.common.messaging;

import org.jboss.logging.Logger;

import io.switchboard.common.domain.DomainException;
import io.switchboard.common.logging.ConversationLog;
import io.switchboard.common.work.Outages;
import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.Json;

/**
 * What every consumer of envelopes does around its own work, once: read the envelope, put its conversation into the
 * log context, wait out an outage of a dependency (up to {@link Outages#CONSUMER_PATIENCE}) and retry any other
 * failure with backoff. A record that can never succeed (not an envelope, an invalid or refused command) fails at once,
 * so that the channel's dead-letter strategy sends it to the dead-letter topic and the partition moves on.
 */
public final class EnvelopeConsumer {
    private static final Logger LOG = Logger.getLogger(EnvelopeConsumer.class);
    static final int MAX_RETRIES = 6;
    private static final long FIRST_DELAY_MS = 200;
    private static final long MAX_DELAY_MS = 5_000;

    @FunctionalInterface
    public interface Handler {
        void handle(Envelope envelope) throws Exception;
    }

    private EnvelopeConsumer() {
    }

    public static void consume(String payload, Handler handler) throws Exception {
        Envelope envelope = Json.readEnvelope(payload);
        long delay = FIRST_DELAY_MS;
        for (int retry = 0;; retry++) {
            try {
                ConversationLog.about(envelope.subject(), () -> Outages.waitOut(Outages.CONSUMER_PATIENCE, () -> handler.handle(envelope)));
                return;
            } catch (Exception e) {
                if (isPermanent(e) || retry == MAX_RETRIES) {
                    LOG.warnf("%s %s of conversation %s failed for good: %s", envelope.type(), envelope.id(), envelope.subject(), e);
                    throw e;
                }
                LOG.warnf("%s %s failed (%s), retrying in %d ms", envelope.type(), envelope.id(), e, delay);
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
