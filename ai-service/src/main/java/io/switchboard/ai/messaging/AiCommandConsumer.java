package io.switchboard.ai.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

import javax.sql.DataSource;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.type.TypeReference;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.switchboard.common.messaging.EnvelopeBatch;
import io.switchboard.common.messaging.KeyedRecords;
import io.switchboard.common.messaging.OverlappingBatches;
import io.switchboard.common.messaging.PartitionsRevoked;
import io.switchboard.common.messaging.ProcessedLog;
import io.switchboard.common.work.Outages;
import io.switchboard.contracts.AiControl;
import io.switchboard.contracts.CommandType;
import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.Json;
import io.switchboard.contracts.SenderType;
import io.switchboard.contracts.Topics;
import io.switchboard.ai.AiConfig;
import io.switchboard.ai.domain.ControlSource;
import io.switchboard.ai.domain.ControlStore;
import io.switchboard.ai.domain.ConversationMemory;
import io.switchboard.ai.reply.ReplyService;

/**
 * Applies AI commands a poll's batch at a time, in order per conversation (one partition, one consumer): control and
 * context first, because workflow-service sends them before the reply request of the same message on this same topic
 * and key. Different conversations of a batch are answered side by side: a real model takes seconds, and one
 * consumer answering its batch one request after another would make every customer behind it wait for all the
 * answers before theirs. Control and context writes are idempotent by nature; a reply request is answered once
 * ({@link ProcessedLog}), its answer acknowledged by the broker before its id is recorded. A consumer's batches overlap
 * ({@link OverlappingBatches}): a batch waits only for the earlier batches of its own conversations, not for the
 * slowest answer of the batch before it. The conversation's memory is kept here too, in the same order: each reply
 * request's question and answer, and what others wrote ({@code remember_message}).
 */
@ApplicationScoped
public class AiCommandConsumer {
    public static final String CHANNEL = "ai-commands-in";
    public static final String OUT = "chat-commands-out";
    static final String CONSUMER = "reply-requests";
    private static final Logger LOG = Logger.getLogger(AiCommandConsumer.class);
    /** How long a stop or a rebalance waits for answers in progress: longer than a model call with its retries usually takes. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final ControlStore control;
    private final ReplyService replies;
    private final ConversationMemory memory;
    private final MutinyEmitter<String> chatCommands;
    private final ProcessedLog answered;
    /** Shared by the consumers of this replica: it also bounds the model calls in flight at once. */
    private final ExecutorService sideBySide;
    private final OverlappingBatches batches;

    AiCommandConsumer(ControlStore control, ReplyService replies, ConversationMemory memory, @Channel(OUT) MutinyEmitter<String> chatCommands,
            DataSource dataSource, AiConfig config) {
        this.control = control;
        this.replies = replies;
        this.memory = memory;
        this.chatCommands = chatCommands;
        this.answered = new ProcessedLog(dataSource, CONSUMER);
        this.sideBySide = Executors.newFixedThreadPool(config.ai().parallelAnswers(),
                Thread.ofPlatform().name("ai-answers-", 0).daemon().factory());
        // as many batches in flight as answers: more would only queue for the pool
        this.batches = new OverlappingBatches(config.ai().parallelAnswers());
    }

    /** Before the consumers stop ({@link io.switchboard.common.messaging.ConsumersStopFirst}): the batches in flight end. */
    void stop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE - 1) ShutdownEvent shutdown) {
        if (!batches.drain(STOP_WAIT)) {
            LOG.warnf("%d batches of AI commands still running after %s: their records come again", batches.inFlight(), STOP_WAIT);
        }
    }

    /**
     * A rebalance hands these partitions over when this returns: first the batches holding their records end, so the
     * new owner finds their answers recorded instead of asking the model again.
     */
    void handOver(@Observes PartitionsRevoked revoked) {
        if (!batches.awaitBatchesOf(revoked.partitions(), STOP_WAIT)) {
            LOG.warnf("batches of %s still running after %s: their partitions go to their new owner anyway", revoked.partitions(), STOP_WAIT);
        }
    }

    @PreDestroy
    void close() {
        sideBySide.shutdownNow();
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(KafkaRecordBatch<String, String> batch) {
        return batches.consume(batch, this::apply);
    }

    /**
     * The batch in turns of one command per conversation (order per conversation kept), a turn's commands side by side:
     * every command is checked before any is applied (a bad one fails the batch before a model call is spent, and the
     * batch is then applied one by one); answers are sent without waiting; a turn's memory is written in one round trip
     * when the turn ends (before the next turn reads it; through a Redis outage it waits); the acknowledgements are
     * awaited once, then the answered requests recorded at once.
     */
    private void apply(List<EnvelopeBatch.Item> commands) throws Exception {
        Map<EnvelopeBatch.Item, CommandType> types = new IdentityHashMap<>();
        List<String> requests = new ArrayList<>();
        for (EnvelopeBatch.Item command : commands) {
            CommandType type = typeOf(command.envelope());
            types.put(command, type);
            if (type == CommandType.REPLY_REQUEST) {
                requests.add(command.id());
            }
        }
        Set<String> answeredBefore = answered.recorded(requests);
        List<CompletableFuture<Void>> acks = Collections.synchronizedList(new ArrayList<>());
        Set<String> answeredNow = ConcurrentHashMap.newKeySet();
        Predicate<EnvelopeBatch.Item> unanswered = command -> types.get(command) == CommandType.REPLY_REQUEST
                && !answeredBefore.contains(command.id()) && !answeredNow.contains(command.id());
        try {
            for (List<EnvelopeBatch.Item> turn : EnvelopeBatch.turns(commands)) {
                // after the turns before it, whose control commands it must see; a turn holds one command per
                // conversation, so none of its own changes what it reads
                Map<String, ReplyService.Inputs> inputs = replies.readAhead(
                        turn.stream().filter(unanswered).map(command -> command.envelope().subject()).toList());
                List<ConversationMemory.Remembered> remembered = Collections.synchronizedList(new ArrayList<>());
                try {
                    all(turn, command -> command.inTrace(() -> {
                        Envelope envelope = command.envelope();
                        switch (types.get(command)) {
                            case REPLY_REQUEST -> {
                                if (unanswered.test(command)) {
                                    var reply = replies.reply(envelope, inputs.get(envelope.subject()));
                                    reply.commands().forEach(answer -> acks.add(KeyedRecords.send(chatCommands, answer)));
                                    reply.turns().forEach(t -> remembered.add(new ConversationMemory.Remembered(envelope.subject(), t)));
                                    answeredNow.add(command.id());
                                }
                            }
                            case REMEMBER_MESSAGE -> remembered.add(new ConversationMemory.Remembered(envelope.subject(),
                                    new ConversationMemory.Turn(envelope.text("message_id"), envelope.text("sender_type"), envelope.text("content"))));
                            default -> applyControl(types.get(command), envelope);
                        }
                    }));
                } finally {
                    // also when a command of the turn failed, and through a Redis outage: the turn's answered requests
                    // are recorded below and not asked again, so a write given up here would be lost for good
                    List<ConversationMemory.Remembered> turnsToKeep = List.copyOf(remembered);
                    Outages.waitOut(Outages.CONSUMER_PATIENCE, () -> memory.rememberAll(turnsToKeep));
                }
            }
        } finally {
            // also when a later command failed: the answers already sent are recorded once the broker has them, so the
            // batch's next try does not ask the model for them again
            KeyedRecords.awaitAll(acks);
            answered.recordAll(List.copyOf(answeredNow));
        }
    }

    private interface Step {
        void apply(EnvelopeBatch.Item command) throws Exception;
    }

    /**
     * The step for every command of a turn, side by side, on the shared pool (also for one command: with batches
     * overlapping, the pool is what bounds the model calls in flight); the first failure is thrown once all have ended,
     * so no answer is left half done behind it.
     */
    private void all(List<EnvelopeBatch.Item> turn, Step step) throws Exception {
        List<Future<?>> running = new ArrayList<>();
        for (EnvelopeBatch.Item command : turn) {
            running.add(sideBySide.submit(() -> {
                step.apply(command);
                return null;
            }));
        }
        Exception first = null;
        for (Future<?> task : running) {
            try {
                task.get();
            } catch (ExecutionException e) {
                if (first == null) {
                    first = e.getCause() instanceof Exception cause ? cause : e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** The command's type, once it is known to be a well-formed ai-service command (else IllegalArgumentException). */
    private static CommandType typeOf(Envelope command) {
        CommandType type = CommandType.parse(command.type())
                .filter(t -> t.topic().equals(Topics.AI_COMMANDS))
                .orElseThrow(() -> new IllegalArgumentException("unknown AI command type " + command.type()));
        switch (type) {
            case CONTROL_AI_RESPONSE -> AiControl.parse(command.text("action"))
                    .orElseThrow(() -> new IllegalArgumentException("control_ai_response without a known action: " + command.text("action")));
            case UPDATE_AI_CONTEXT -> {
                var data = command.data().get("context_data");
                if (data == null || !data.isObject()) {
                    throw new IllegalArgumentException("update_ai_context without context_data");
                }
            }
            case REPLY_REQUEST -> {
            }
            case REMEMBER_MESSAGE -> {
                if (command.text("message_id") == null || command.text("content") == null) {
                    throw new IllegalArgumentException("remember_message without message_id or content");
                }
                SenderType.parse(command.text("sender_type"))
                        .orElseThrow(() -> new IllegalArgumentException("remember_message without a known sender_type: " + command.text("sender_type")));
            }
            default -> throw new IllegalArgumentException("not an ai-service command: " + command.type());
        }
        return type;
    }

    private void applyControl(CommandType type, Envelope command) {
        if (type == CommandType.CONTROL_AI_RESPONSE) {
            var variant = command.data().get("prompt_variant") instanceof com.fasterxml.jackson.databind.node.ObjectNode v ? v : null;
            control.control(command.subject(), AiControl.parse(command.text("action")).orElseThrow(), command.text("custom_prompt"), variant,
                    ControlSource.WORKFLOW);
        } else {
            control.mergeContext(command.subject(), Json.MAPPER.convertValue(command.data().get("context_data"), MAP));
        }
    }
}
