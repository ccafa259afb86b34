package io.switchboard.ai.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.reactive.messaging.Channel;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.switchboard.ai.domain.AiStateChanged;
import io.switchboard.common.messaging.KeyedRecords;
import io.switchboard.contracts.Cause;
import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.EventType;
import io.switchboard.contracts.Json;

/**
 * Publishes every change of a conversation's AI state as {@code ai_updated} on {@code switchboard.ai-events}, keyed by
 * conversation, and waits for the broker: the inbox shows an agent's or a workflow's switch as it happens. Each event
 * carries the whole state, so a repeat (a redelivered command applied again) is harmless.
 */
@ApplicationScoped
public class AiEventPublisher {
    public static final String CHANNEL = "ai-events-out";
    static final String SOURCE = "ai-service";

    private final MutinyEmitter<String> events;

    AiEventPublisher(@Channel(CHANNEL) MutinyEmitter<String> events) {
        this.events = events;
    }

    void publish(@Observes AiStateChanged change) throws Exception {
        var state = change.state();
        var data = Json.object().put("ai_enabled", state.aiEnabled()).put("disabled_by", state.disabledBy())
                .put("custom_prompt", state.customPrompt());
        data.set("context", Json.MAPPER.valueToTree(state.context()));
        var event = Envelope.of(EventType.AI_UPDATED, SOURCE, change.conversationId(), Cause.NONE, data);
        KeyedRecords.awaitAll(java.util.List.of(KeyedRecords.send(events, event)));
    }
}
