package io.switchboard.notifier.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;

import io.smallrye.reactive.messaging.kafka.Record;
import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.Json;

/**
 * Sends a socket's typing signal to every notifier replica (this one included, through {@link FanOut}), keyed by
 * conversation. Best effort: a signal is worthless a few seconds later, so a failed send is dropped, not retried.
 */
@ApplicationScoped
public class TypingPublisher {
    public static final String CHANNEL = "typing-out";
    private static final Logger LOG = Logger.getLogger(TypingPublisher.class);

    private final Emitter<Record<String, String>> emitter;

    TypingPublisher(@Channel(CHANNEL) Emitter<Record<String, String>> emitter) {
        this.emitter = emitter;
    }

    public void publish(Envelope signal) {
        emitter.send(Record.of(signal.subject(), Json.write(signal))).exceptionally(failure -> {
            LOG.debugf("typing signal of %s dropped: %s", signal.subject(), failure.getMessage());
            return null;
        });
    }
}
