package io.switchboard.ai.reply;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fasterxml.jackson.core.type.TypeReference;

import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.switchboard.common.logging.ConversationLog;
import io.switchboard.common.work.Outages;
import io.switchboard.common.messaging.KeyedRecords;
import io.switchboard.ai.control.ControlStore;
import io.switchboard.ai.control.Sql;
import io.switchboard.ai.memory.ConversationMemory;
import io.switchboard.contracts.CommandTypes;
import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.Json;

/**
 * Applies AI commands in order per conversation (one partition, one thread): control and context first, because
 * workflow-service sends them before the reply request of the same message on this same topic and key.
 */
@ApplicationScoped
public class AiCommandConsumer {
    public static final String CHANNEL = "ai-commands-in";
    public static final String OUT = "chat-commands-out";
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(AiCommandConsumer.class);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final ControlStore control;
    private final ConversationMemory memory;
    private final ReplyService replies;
    private final MutinyEmitter<String> chatCommands;
    private final Sql sql;

    AiCommandConsumer(ControlStore control, ConversationMemory memory, ReplyService replies,
            @Channel(OUT) MutinyEmitter<String> chatCommands, Sql sql) {
        this.control = control;
        this.memory = memory;
        this.replies = replies;
        this.chatCommands = chatCommands;
        this.sql = sql;
    }

    @Incoming(CHANNEL)
    @Blocking(ordered = true)
    @Retry(maxRetries = 6, delay = 200, abortOn = { IllegalArgumentException.class, Outages.PatienceExhausted.class })
    @ExponentialBackoff(maxDelay = 5000)
    public void consume(String payload) throws Exception {
        try {
            var command = Json.readEnvelope(payload);
            Outages.waitOut(Outages.CONSUMER_PATIENCE, () -> ConversationLog.about(command.subject(), () -> apply(command)));
        } catch (Exception e) {
            LOG.warnf("AI command failed: %s", e.toString());
            throw e;
        }
    }

    private void apply(Envelope command) throws Exception {
        switch (command.type()) {
            case CommandTypes.CONTROL_AI_RESPONSE -> {
                String action = command.text("action");
                if (action == null) {
                    throw new IllegalArgumentException("control_ai_response without action");
                }
                control.control(command.subject(), action, command.text("custom_prompt"));
                if ("reset_context".equals(action)) {
                    memory.reset(command.subject());
                }
            }
            case CommandTypes.UPDATE_AI_CONTEXT -> {
                var data = command.data().get("context_data");
                if (data == null || !data.isObject()) {
                    throw new IllegalArgumentException("update_ai_context without context_data");
                }
                control.mergeContext(command.subject(), Json.MAPPER.convertValue(data, MAP));
            }
            case CommandTypes.REPLY_REQUEST -> reply(command);
            default -> throw new IllegalArgumentException("unknown AI command type " + command.type());
        }
    }

    private void reply(Envelope request) throws Exception {
        if (sql.isProcessed(request.id())) {
            return;
        }
        List<Envelope> commands = replies.reply(request);
        KeyedRecords.awaitAll(commands.stream().map(command -> KeyedRecords.send(chatCommands, command)).toList());
        sql.markProcessed(request.id());
    }
}
