package io.switchboard.ai.messaging;

import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fasterxml.jackson.core.type.TypeReference;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.switchboard.common.messaging.EnvelopeConsumer;
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
 * Applies AI commands in order per conversation (one partition, one thread): control and context first, because
 * workflow-service sends them before the reply request of the same message on this same topic and key. Control and
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
    @Blocking(ordered = true)
    public void consume(String payload) throws Exception {
        EnvelopeConsumer.consume(payload, this::apply);
    }

    private void apply(Envelope command) throws Exception {
        CommandType type = CommandType.parse(command.type())
                .filter(t -> t.topic().equals(Topics.AI_COMMANDS))
                .orElseThrow(() -> new IllegalArgumentException("unknown AI command type " + command.type()));
        switch (type) {
            case CONTROL_AI_RESPONSE -> {
                AiControl action = AiControl.parse(command.text("action"))
                        .orElseThrow(() -> new IllegalArgumentException("control_ai_response without a known action: " + command.text("action")));
                var variant = command.data().get("prompt_variant") instanceof com.fasterxml.jackson.databind.node.ObjectNode v ? v : null;
                control.control(command.subject(), action, command.text("custom_prompt"), variant, ControlSource.WORKFLOW);
            }
            case UPDATE_AI_CONTEXT -> {
                var data = command.data().get("context_data");
                if (data == null || !data.isObject()) {
                    throw new IllegalArgumentException("update_ai_context without context_data");
                }
                control.mergeContext(command.subject(), Json.MAPPER.convertValue(data, MAP));
            }
            case REPLY_REQUEST -> reply(command);
            default -> throw new IllegalArgumentException("not an ai-service command: " + command.type());
        }
    }

    private void reply(Envelope request) throws Exception {
        if (answered.contains(request.id())) {
            return;
        }
        List<Envelope> commands = replies.reply(request);
        KeyedRecords.awaitAll(commands.stream().map(command -> KeyedRecords.send(chatCommands, command)).toList());
        answered.record(request.id());
    }
}
