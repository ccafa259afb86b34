package io.switchboard.chat.messaging;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.switchboard.chat.ChatConfig;
import io.switchboard.common.messaging.EnvelopeBatch;

/**
 * Takes commands from workflow-service and ai-service off Kafka, a poll's batch at a time and in order per
 * conversation, in transactions of at most {@link ChatConfig#commandsPerTransaction()} commands
 * ({@link ChatCommands#apply}).
 */
@ApplicationScoped
public class ChatCommandConsumer {
    public static final String CHANNEL = "chat-commands-in";

    private final ChatCommands commands;
    private final int perTransaction;

    ChatCommandConsumer(ChatCommands commands, ChatConfig config) {
        this.commands = commands;
        if (config.commandsPerTransaction() < 1) {
            throw new IllegalArgumentException("SWITCHBOARD_COMMANDS_PER_TRANSACTION must be 1 or more, got " + config.commandsPerTransaction());
        }
        this.perTransaction = config.commandsPerTransaction();
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(KafkaRecordBatch<String, String> batch) {
        return EnvelopeBatch.consume(batch, this::apply);
    }

    /**
     * A poll's commands in order, a slice at a time. A transaction holds the locks of its commands' conversations
     * until it commits, and a customer's message to one of them waits for it: with a whole poll in one transaction
     * (the default), for all of the poll's commands. A slice that fails leaves the slices before it committed; the
     * batch is then handled again and their recorded ids skip them.
     */
    public void apply(List<EnvelopeBatch.Item> polled) throws Exception {
        for (int from = 0; from < polled.size(); from += perTransaction) {
            commands.apply(polled.subList(from, Math.min(polled.size(), from + perTransaction)));
        }
    }
}
