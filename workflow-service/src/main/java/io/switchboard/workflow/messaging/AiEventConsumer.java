package io.switchboard.workflow.messaging;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.switchboard.common.messaging.EnvelopeBatch;
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
    public Uni<Void> consume(KafkaRecordBatch<String, String> batch) {
        return EnvelopeBatch.consume(batch, this::handle);
    }

    private void handle(List<EnvelopeBatch.Item> events) {
        List<EnvelopeBatch.Item> handoffs = events.stream()
                .filter(e -> e.envelope().is(EventType.AI_UPDATED) && !e.envelope().data().path("ai_enabled").asBoolean(true)).toList();
        if (!handoffs.isEmpty()) {
            QuarkusTransaction.requiringNew().run(() -> handoffs.forEach(e -> experiments.handedOff(e.envelope().subject())));
        }
    }
}
