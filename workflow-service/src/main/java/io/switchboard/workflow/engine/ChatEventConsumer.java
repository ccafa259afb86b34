package io.switchboard.workflow.engine;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.switchboard.common.logging.ConversationLog;
import io.switchboard.common.work.Outages;
import io.switchboard.contracts.Json;

/**
 * Takes chat events off Kafka, in order per conversation. A record that is not an event goes to the dead-letter
 * topic at once; an outage of the database or the broker is waited out (up to {@link Outages#CONSUMER_PATIENCE}); any
 * other failure is retried with backoff first.
 */
@ApplicationScoped
public class ChatEventConsumer {
    public static final String CHANNEL = "chat-events-in";

    private final WorkflowEngine engine;

    ChatEventConsumer(WorkflowEngine engine) {
        this.engine = engine;
    }

    @Incoming(CHANNEL)
    @Blocking(ordered = true)
    @Retry(maxRetries = 6, delay = 200, abortOn = { IllegalArgumentException.class, Outages.PatienceExhausted.class })
    @ExponentialBackoff(maxDelay = 5000)
    public void consume(String payload) throws Exception {
        var event = Json.readEnvelope(payload);
        Outages.waitOut(Outages.CONSUMER_PATIENCE, () -> ConversationLog.about(event.subject(), () -> engine.handle(event)));
    }
}
