package io.switchboard.chat.command;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.faulttolerance.api.ExponentialBackoff;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.switchboard.common.logging.ConversationLog;
import io.switchboard.common.work.Outages;
import io.switchboard.contracts.Json;

/**
 * Takes commands from workflow-service and ai-service off Kafka. A record that is not a valid command
 * (IllegalArgumentException) goes to the dead-letter topic at once; a database outage is waited out (up to
 * {@link Outages#CONSUMER_PATIENCE}); any other failure is retried with backoff first, each try in a transaction of its own.
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
    @Retry(maxRetries = 6, delay = 200, abortOn = { IllegalArgumentException.class, Outages.PatienceExhausted.class })
    @ExponentialBackoff(maxDelay = 5000)
    public void consume(String payload) throws Exception {
        var command = Json.readEnvelope(payload);
        Outages.waitOut(Outages.CONSUMER_PATIENCE, () -> ConversationLog.about(command.subject(), () -> commands.apply(command)));
    }
}
