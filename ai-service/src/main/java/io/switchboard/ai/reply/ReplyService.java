package io.switchboard.ai.reply;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

import io.switchboard.ai.AiConfig;
import io.switchboard.common.limits.WindowLimit;
import io.switchboard.common.text.TextParts;
import io.switchboard.contracts.CommandType;
import io.switchboard.contracts.MessageType;
import io.switchboard.contracts.SenderType;
import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.Json;
import io.switchboard.ai.domain.AiState;
import io.switchboard.ai.domain.ControlStore;
import io.switchboard.ai.domain.ConversationMemory;
import io.switchboard.ai.knowledge.KnowledgeBase;
import io.switchboard.ai.model.Prompt;

/**
 * Answers a reply request, or deliberately does not. The control is read first: a disabled conversation gets no
 * model call at all. The answer becomes a send-message command whose idempotency key derives from the request, so a
 * redelivered request never stores a second answer.
 */
@ApplicationScoped
public class ReplyService {
    private static final Logger LOG = Logger.getLogger(ReplyService.class);
    public static final String SOURCE = "ai-service";

    public enum Outcome {
        ANSWERED, SKIPPED_DISABLED, FALLBACK
    }

    private final ControlStore control;
    private final Redis pipeline;
    private final KnowledgeBase knowledge;
    private final ModelCall model;
    private final AiConfig.Ai config;
    private final int maxContentLength;

    private final MeterRegistry metrics;

    /** The model-call budget; null when there is none. */
    private final WindowLimit budget;

    ReplyService(ControlStore control, Redis pipeline, KnowledgeBase knowledge, ModelCall model, AiConfig config,
            MeterRegistry metrics, io.quarkus.redis.datasource.RedisDataSource redis) {
        this.metrics = metrics;
        int perMinute = config.ai().maxCallsPerMinute();
        this.budget = perMinute > 0 ? new WindowLimit(redis, "switchboard:limit:model-calls:", perMinute, java.time.Duration.ofMinutes(1)) : null;
        this.control = control;
        this.pipeline = pipeline;
        this.knowledge = knowledge;
        this.model = model;
        this.config = config.ai();
        this.maxContentLength = config.maxContentLength();
    }

    /** Knowledge passages for the prompt; without them (the embedding model failed to load) the answer still goes out. */
    private List<KnowledgeBase.Match> knowledgeFor(String content) {
        try {
            return knowledge.search(content, knowledge.snippets());
        } catch (RuntimeException | LinkageError e) {
            LOG.errorf("knowledge base unavailable, answering without it: %s", e.toString());
            return List.of();
        }
    }

    /** answered, skipped_disabled or fallback: a reply request ends as exactly one of these. */
    private void countReply(Outcome outcome) {
        metrics.counter("switchboard.ai.replies", "outcome", outcome.name().toLowerCase()).increment();
    }

    /** The model call, whole (retries included), as a histogram: p50/p99 and errors per provider. */
    private Timer modelCalls(String result) {
        return Timer.builder("switchboard.ai.model.call").tag("provider", model.providerName()).tag("result", result)
                .publishPercentileHistogram().register(metrics);
    }

    /** What answering a conversation reads from Redis: its control state and its recent turns. */
    public record Inputs(AiState state, List<ConversationMemory.Turn> history) {
    }

    /**
     * The inputs of several conversations' answers, read in one pipelined round trip (two commands each), where each
     * answer read its own in two: under load the answering threads spent much of their time waiting for Redis.
     */
    public Map<String, Inputs> readAhead(Collection<String> conversationIds) {
        List<String> ids = List.copyOf(new LinkedHashSet<>(conversationIds));
        if (ids.isEmpty()) {
            return Map.of();
        }
        List<Request> reads = new ArrayList<>(2 * ids.size());
        ids.forEach(id -> {
            reads.add(ControlStore.readRequest(id));
            reads.add(ConversationMemory.recentRequest(id));
        });
        List<Response> replies = pipeline.batchAndAwait(reads);
        Map<String, Inputs> inputs = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            inputs.put(id, new Inputs(control.state(id, replies.get(2 * i)), ConversationMemory.turns(replies.get(2 * i + 1))));
        }
        return inputs;
    }

    /**
     * What a reply request ends in: the commands that carry the answer out (none when the AI is switched off) and the
     * turns for the conversation's memory, the customer's message and the answer (only the message when off, so the
     * AI switched on again knows what was said meanwhile).
     */
    public record Reply(List<Envelope> commands, List<ConversationMemory.Turn> turns) {
    }

    /** The reply to a request, from inputs read just before. */
    public Reply reply(Envelope request, Inputs inputs) {
        String conversationId = request.subject();
        AiState state = inputs.state();
        String messageId = request.text("message_id");
        String content = request.text("content");
        var question = new ConversationMemory.Turn(messageId, SenderType.CUSTOMER.wire(), content == null ? "" : content);
        if (!state.aiEnabled()) {
            LOG.infof("conversation %s: AI disabled by control, no model call for request %s", conversationId, request.id());
            countReply(Outcome.SKIPPED_DISABLED);
            return new Reply(List.of(), List.of(question));
        }
        List<ConversationMemory.Turn> history = inputs.history().stream()
                .filter(turn -> turn.messageId() == null || !turn.messageId().equals(messageId)).toList();
        var prompt = new Prompt(state.customPrompt() != null ? state.customPrompt() : config.defaultPrompt(), state.context(),
                knowledgeFor(content), history, content);
        String answer;
        Outcome outcome;
        Timer.Sample call = Timer.start(metrics);
        var overBudget = budget == null ? java.util.Optional.<java.time.Duration>empty() : budget.take("all");
        if (overBudget.isPresent()) {
            // real money with a paid provider: past the budget a person answers instead
            LOG.warnf("conversation %s: model-call budget spent (%s left in the minute), fallback instead of a call",
                    conversationId, WindowLimit.readable(overBudget.get()));
            answer = config.fallbackMessage();
            outcome = Outcome.FALLBACK;
        } else {
            try {
                answer = model.answer(prompt);
                outcome = Outcome.ANSWERED;
                call.stop(modelCalls("ok"));
            } catch (RuntimeException e) {
                call.stop(modelCalls("error"));
                LOG.warnf("conversation %s: model %s failed (%s), answering with the fallback and flagging for a person",
                        conversationId, model.providerName(), e.toString());
                answer = config.fallbackMessage();
                outcome = Outcome.FALLBACK;
            }
        }
        countReply(outcome);
        var cause = request.causeForFollowUp(null, null);
        String answerId = Json.derivedId(request.id(), "answer");
        List<String> parts = TextParts.of(answer, maxContentLength);
        List<Envelope> commands = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            // the first part is sent as a whole answer always was; the others under ids of their own, in order
            String partId = i == 0 ? answerId : Json.derivedId(request.id(), "answer-" + (i + 1));
            var data = Json.object().put("content", parts.get(i)).put("message_type", MessageType.AI.wire())
                    .put("sender_type", SenderType.AI.wire()).put("idempotency_key", partId);
            var metadata = data.putObject("metadata").put("reply_to", messageId).put("provider", model.providerName())
                    .put("outcome", outcome.name().toLowerCase());
            if (parts.size() > 1) {
                metadata.put("part", i + 1).put("parts", parts.size());
            }
            if (state.promptVariant() != null && state.customPrompt() != null) {
                // an A/B test's variant wrote this prompt: every reply says which, for the experiment's figures
                metadata.set("prompt_variant", state.promptVariant());
            }
            commands.add(Envelope.of(partId, CommandType.SEND_MESSAGE, SOURCE, conversationId, cause, data));
        }
        // the answer's turn is known by its command's id: the message's own id is chat-service's to give; the model
        // reads its answer back whole, however many messages it took
        var turns = List.of(question, new ConversationMemory.Turn(answerId, SenderType.AI.wire(), answer));
        if (outcome == Outcome.FALLBACK) {
            commands.add(Envelope.of(Json.derivedId(request.id(), "flag"), CommandType.ADD_TAG, SOURCE, conversationId, cause,
                    Json.object().put("tag", "needs_human")));
        }
        return new Reply(List.copyOf(commands), turns);
    }

}
