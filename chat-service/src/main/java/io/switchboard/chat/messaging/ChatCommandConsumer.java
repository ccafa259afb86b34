package io.switchboard.chat.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.switchboard.common.messaging.EnvelopeBatch;

/**
 * Takes commands from workflow-service and ai-service off Kafka, a poll's batch at a time and in order per
 * conversation; each try of a batch runs in one transaction ({@link ChatCommands#apply}).
 */
@ApplicationScoped
public class ChatCommandConsumer {
    public static final String CHANNEL = "chat-commands-in";

    private final ChatCommands commands;

    ChatCommandConsumer(ChatCommands commands) {
        this.commands = commands;
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(KafkaRecordBatch<String, String> batch) {
        return EnvelopeBatch.consume(batch, commands::apply);
    }
}
