package io.switchboard.ai.memory;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.switchboard.common.work.Outages;
import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.EventTypes;
import io.switchboard.contracts.Json;

/** Keeps each conversation's recent turns from its message_created events (every sender). */
@ApplicationScoped
public class MemoryConsumer {
    public static final String CHANNEL = "chat-events-in";

    private final ConversationMemory memory;

    MemoryConsumer(ConversationMemory memory) {
        this.memory = memory;
    }

    @Incoming(CHANNEL)
    @Blocking(ordered = true)
    public void consume(String payload) throws Exception {
        Envelope event = Json.readEnvelope(payload);
        if (!EventTypes.MESSAGE_CREATED.equals(event.type())) {
            return;
        }
        var message = event.data().path("message");
        var turn = new ConversationMemory.Turn(message.path("id").asText(null), message.path("sender_type").asText("customer"),
                message.path("content").asText(""));
        Outages.waitOut(Outages.CONSUMER_PATIENCE, () -> memory.remember(event.subject(), turn));
    }
}
