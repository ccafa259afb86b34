package io.switchboard.notifier.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.EventType;
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

    /** A poll's signals together, in order, as {@link FanOut} takes its events. */
    @Incoming(CHANNEL)
    public void deliver(List<String> payloads) {
        PolledEnvelopes.each(CHANNEL, payloads, this::deliver);
    }

    private void deliver(Envelope signal) {
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
