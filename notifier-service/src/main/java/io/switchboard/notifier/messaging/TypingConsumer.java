package io.switchboard.notifier.messaging;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.EventType;
import io.switchboard.contracts.Json;
import io.switchboard.notifier.domain.Clients;

/**
 * Typing signals from every replica, for the sockets this one holds. The channel reads from the earliest record (a
 * new group per replica start), so a signal older than {@link #FRESH} is old news and dropped, not shown.
 */
@ApplicationScoped
public class TypingConsumer {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(TypingConsumer.class);
    public static final String CHANNEL = "typing-in";
    static final Duration FRESH = Duration.ofSeconds(5);

    private final Clients clients;

    TypingConsumer(Clients clients) {
        this.clients = clients;
    }

    @Incoming(CHANNEL)
    public void deliver(String payload) {
        Envelope signal = Json.readEnvelope(payload);
        if (!signal.is(EventType.TYPING) || signal.time() == null) {
            return;
        }
        if (signal.time().isAfter(Instant.now().minus(FRESH))) {
            clients.typing(signal);
        } else {
            LOG.debugf("typing signal of %s dropped: %d ms old", signal.subject(), Duration.between(signal.time(), Instant.now()).toMillis());
        }
    }
}
