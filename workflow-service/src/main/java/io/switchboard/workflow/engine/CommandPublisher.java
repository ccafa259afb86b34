package io.switchboard.workflow.engine;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.Json;

/**
 * Sends commands keyed by conversation id and waits for the broker's acknowledgements. Commands are sent in list
 * order; the idempotent producer keeps that order within a partition, so a conversation's control commands reach
 * ai-service before its reply request.
 */
@ApplicationScoped
public class CommandPublisher {
    public static final String AI_CHANNEL = "ai-commands-out";
    public static final String CHAT_CHANNEL = "chat-commands-out";
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(15);

    public enum Target {
        AI, CHAT
    }

    public record Command(Target target, Envelope envelope) {
    }

    private final MutinyEmitter<String> ai;
    private final MutinyEmitter<String> chat;

    CommandPublisher(@Channel(AI_CHANNEL) MutinyEmitter<String> ai, @Channel(CHAT_CHANNEL) MutinyEmitter<String> chat) {
        this.ai = ai;
        this.chat = chat;
    }

    public void sendAll(List<Command> commands) throws Exception {
        CompletableFuture<?>[] acks = commands.stream().map(this::send).toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(acks).get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private CompletableFuture<Void> send(Command command) {
        var metadata = OutgoingKafkaRecordMetadata.<String>builder().withKey(command.envelope().subject()).build();
        var emitter = command.target() == Target.AI ? ai : chat;
        return emitter.sendMessage(Message.of(Json.write(command.envelope())).addMetadata(metadata)).subscribeAsCompletionStage();
    }
}
