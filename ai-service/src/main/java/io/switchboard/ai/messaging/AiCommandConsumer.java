package io.switchboard.ai.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fasterxml.jackson.core.type.TypeReference;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.switchboard.common.messaging.EnvelopeBatch;
import io.switchboard.common.messaging.KeyedRecords;
import io.switchboard.common.messaging.ProcessedLog;
import io.switchboard.contracts.AiControl;
import io.switchboard.contracts.CommandType;
import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.Json;
import io.switchboard.contracts.Topics;
import io.switchboard.ai.domain.ControlSource;
import io.switchboard.ai.domain.ControlStore;
import io.switchboard.ai.reply.ReplyService;

/**
 * Applies AI commands a poll's batch at a time, in order per conversation (one partition, one consumer): control and
 * context first, because workflow-service sends them before the reply request of the same message on this same topic
 * and key. Control and
 * context writes are idempotent by nature; a reply request is answered once ({@link ProcessedLog}), its answer
 * acknowledged by the broker before its id is recorded.
 */
@ApplicationScoped
public class AiCommandConsumer {
    public static final String CHANNEL = "ai-commands-in";
    public static final String OUT = "chat-commands-out";
    static final String CONSUMER = "reply-requests";
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final ControlStore control;
    private final ReplyService replies;
    private final MutinyEmitter<String> chatCommands;
    private final ProcessedLog answered;

    AiCommandConsumer(ControlStore control, ReplyService replies, @Channel(OUT) MutinyEmitter<String> chatCommands,
            DataSource dataSource) {
        this.control = control;
        this.replies = replies;
        this.chatCommands = chatCommands;
        this.answered = new ProcessedLog(dataSource, CONSUMER);
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(KafkaRecordBatch<String, String> batch) {
        return EnvelopeBatch.consume(batch, this::apply);
    }

    /**
     * The batch in order: every command is checked before any is applied (a bad one fails the batch before a model
     * call is spent, and the batch is then applied one by one); controls and context are written as they come, answers
     * are sent without waiting; the acknowledgements are awaited once, then the answered requests recorded at once.
     */
    private void apply(List<EnvelopeBatch.Item> commands) throws Exception {
        for (EnvelopeBatch.Item command : commands) {
            typeOf(command.envelope());
        }
        Set<String> answeredBefore = answered.recorded(commands.stream()
                .filter(c -> typeOf(c.envelope()) == CommandType.REPLY_REQUEST).map(EnvelopeBatch.Item::id).toList());
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        List<String> answeredNow = new ArrayList<>();
        try {
            for (EnvelopeBatch.Item command : commands) {
                command.inTrace(() -> {
                    if (typeOf(command.envelope()) != CommandType.REPLY_REQUEST) {
                        applyControl(command.envelope());
                    } else if (!answeredBefore.contains(command.id()) && !answeredNow.contains(command.id())) {
                        replies.reply(command.envelope()).forEach(answer -> acks.add(KeyedRecords.send(chatCommands, answer)));
                        answeredNow.add(command.id());
                    }
                });
            }
        } finally {
            // also when a later command failed: the answers already sent are recorded once the broker has them, so the
            // batch's next try does not ask the model for them again
            KeyedRecords.awaitAll(acks);
            answered.recordAll(answeredNow);
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
            default -> throw new IllegalArgumentException("not an ai-service command: " + command.type());
        }
        return type;
    }

    private void applyControl(Envelope command) {
        if (typeOf(command) == CommandType.CONTROL_AI_RESPONSE) {
            var variant = command.data().get("prompt_variant") instanceof com.fasterxml.jackson.databind.node.ObjectNode v ? v : null;
            control.control(command.subject(), AiControl.parse(command.text("action")).orElseThrow(), command.text("custom_prompt"), variant,
                    ControlSource.WORKFLOW);
        } else {
            control.mergeContext(command.subject(), Json.MAPPER.convertValue(command.data().get("context_data"), MAP));
        }
    }
}
