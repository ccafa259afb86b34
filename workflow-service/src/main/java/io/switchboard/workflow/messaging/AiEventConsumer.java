package io.switchboard.workflow.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.switchboard.common.messaging.EnvelopeConsumer;
import io.switchboard.contracts.EventType;
import io.switchboard.workflow.domain.Experiments;

/** An AI switched off in a conversation (a workflow's handoff or an agent's hand) ends its A/B tests' count of replies. */
@ApplicationScoped
public class AiEventConsumer {
    public static final String CHANNEL = "ai-events-in";

    private final Experiments experiments;

    AiEventConsumer(Experiments experiments) {
        this.experiments = experiments;
    }

    @Incoming(CHANNEL)
    @Blocking(ordered = true)
    public void consume(String payload) throws Exception {
        EnvelopeConsumer.consume(payload, event -> {
            if (event.is(EventType.AI_UPDATED) && !event.data().path("ai_enabled").asBoolean(true)) {
                QuarkusTransaction.requiringNew().run(() -> experiments.handedOff(event.subject()));
            }
        });
    }
}
