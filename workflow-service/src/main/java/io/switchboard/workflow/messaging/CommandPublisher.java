package io.switchboard.workflow.messaging;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.switchboard.common.messaging.KeyedRecords;
import io.switchboard.contracts.Topics;
import io.switchboard.workflow.engine.Command;

/**
 * Sends commands keyed by conversation id and waits for the broker's acknowledgements. Commands are sent in list
 * order; the idempotent producer keeps that order within a partition, so a conversation's control commands reach
 * ai-service before its reply request.
 */
@ApplicationScoped
public class CommandPublisher {
    public static final String AI_CHANNEL = "ai-commands-out";
    public static final String CHAT_CHANNEL = "chat-commands-out";

    private final MutinyEmitter<String> ai;
    private final MutinyEmitter<String> chat;

    CommandPublisher(@Channel(AI_CHANNEL) MutinyEmitter<String> ai, @Channel(CHAT_CHANNEL) MutinyEmitter<String> chat) {
        this.ai = ai;
        this.chat = chat;
    }

    /** Sends the commands in order and waits for every acknowledgement. */
    public void sendAll(List<Command> commands) throws Exception {
        KeyedRecords.awaitAll(send(commands));
    }

    /** Sends the commands in order; each stage completes when the broker has that command. */
    public List<CompletableFuture<Void>> send(List<Command> commands) {
        return commands.stream()
                .map(command -> KeyedRecords.send(command.type().topic().equals(Topics.AI_COMMANDS) ? ai : chat, command.envelope())).toList();
    }
}
