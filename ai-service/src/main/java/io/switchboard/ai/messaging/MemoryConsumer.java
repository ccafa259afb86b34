package io.switchboard.ai.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.switchboard.common.messaging.EnvelopeConsumer;
import io.switchboard.contracts.EventType;
import io.switchboard.contracts.SenderType;
import io.switchboard.ai.domain.ConversationMemory;

/** Keeps each conversation's recent turns from its message_created events (every sender); a turn is kept once by its id. */
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
        EnvelopeConsumer.consume(payload, event -> {
            if (!event.is(EventType.MESSAGE_CREATED)) {
                return;
            }
            var message = event.data().path("message");
            memory.remember(event.subject(), new ConversationMemory.Turn(message.path("id").asText(null),
                    message.path("sender_type").asText(SenderType.CUSTOMER.wire()), message.path("content").asText("")));
        });
    }
}
