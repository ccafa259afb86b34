package io.switchboard.ai.messaging;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.switchboard.common.messaging.EnvelopeBatch;
import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.SenderType;
import io.switchboard.ai.domain.ConversationMemory;

/**
 * Keeps each conversation's recent turns from the events of its stored messages (message_received for a customer's,
 * message_created for the others), a poll's batch at a time; a turn is kept once by its id.
 */
@ApplicationScoped
public class MemoryConsumer {
    public static final String CHANNEL = "chat-events-in";

    private final ConversationMemory memory;

    MemoryConsumer(ConversationMemory memory) {
        this.memory = memory;
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(KafkaRecordBatch<String, String> batch) {
        return EnvelopeBatch.consume(batch, this::remember);
    }

    private void remember(List<EnvelopeBatch.Item> events) {
        memory.rememberAll(events.stream().map(EnvelopeBatch.Item::envelope).filter(Envelope::announcesMessage).map(event -> {
            var message = event.data().path("message");
            return new ConversationMemory.Remembered(event.subject(), new ConversationMemory.Turn(message.path("id").asText(null),
                    message.path("sender_type").asText(SenderType.CUSTOMER.wire()), message.path("content").asText("")));
        }).toList());
    }
}
