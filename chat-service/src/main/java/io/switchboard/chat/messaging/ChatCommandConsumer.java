package io.switchboard.chat.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.switchboard.common.messaging.EnvelopeConsumer;

/**
 * Takes commands from workflow-service and ai-service off Kafka, in order per conversation; each try of a command runs
 * in a transaction of its own ({@link ChatCommands#apply}).
 */
@ApplicationScoped
public class ChatCommandConsumer {
    public static final String CHANNEL = "chat-commands-in";

    private final ChatCommands commands;

    ChatCommandConsumer(ChatCommands commands) {
        this.commands = commands;
    }

    @Incoming(CHANNEL)
    @Blocking(ordered = true)
    public void consume(String payload) throws Exception {
        EnvelopeConsumer.consume(payload, commands::apply);
    }
}
