package io.switchboard.notifier.messaging;

import java.util.List;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.Json;

/**
 * A poll's records, handed to a consumer method in one call (the channel's {@code batch=true}): one hand-over between
 * the Kafka client's thread and the method per poll instead of per record. Each is read and handled in poll order; a
 * record that is not an envelope is logged (never its content) and skipped, and the rest of its poll still goes out.
 */
final class PolledEnvelopes {
    private static final Logger LOG = Logger.getLogger(PolledEnvelopes.class);

    private PolledEnvelopes() {
    }

    static void each(String channel, List<String> payloads, Consumer<Envelope> handler) {
        for (String payload : payloads) {
            Envelope envelope;
            try {
                envelope = Json.readEnvelope(payload);
            } catch (IllegalArgumentException e) {
                LOG.warnf("%s: a record that is not an envelope was skipped", channel);
                continue;
            }
            handler.accept(envelope);
        }
    }
}
