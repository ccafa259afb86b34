package io.switchboard.workflow.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.switchboard.common.messaging.EnvelopeBatch;
import io.switchboard.common.messaging.ProcessedLog;
import io.switchboard.contracts.ConversationStatus;
import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.EventType;
import io.switchboard.contracts.SenderType;
import io.switchboard.workflow.domain.ConversationClocks;
import io.switchboard.workflow.domain.Experiments;
import io.switchboard.workflow.domain.WaitingRuns;
import io.switchboard.workflow.engine.WorkflowEngine;

/**
 * Runs the workflows of chat events, a poll's batch at a time and in order per conversation, at least once without
 * doubles: the plans' commands are sent and acknowledged first, then their executions, the event ids and the events'
 * bookkeeping are committed together. A crash in between reruns the event; its executions and commands have the same
 * derived ids, which the receivers skip. Messages and status changes also move the conversation's idle clock, a
 * closed conversation cancels what waits in it, AI replies and handoffs count for the A/B tests of prompts, and the
 * messages ai-service did not see itself go to its memory of the conversation.
 */
@ApplicationScoped
public class ChatEventConsumer {
    public static final String CHANNEL = "chat-events-in";
    static final String CONSUMER = "chat-events";
    static final String REPLIES = "experiment-replies";
    static final String CLOSES = "closes";
    /** The tag ai-service sets when it cannot answer and a person should: a handoff for the A/B tests. */
    static final String NEEDS_HUMAN = "needs_human";

    private final WorkflowEngine engine;
    private final PlanDelivery delivery;
    private final ConversationClocks clocks;
    private final WaitingRuns waitingRuns;
    private final Experiments experiments;
    private final ProcessedLog processed;
    private final ProcessedLog countedReplies;
    private final ProcessedLog closes;

    ChatEventConsumer(WorkflowEngine engine, PlanDelivery delivery, ConversationClocks clocks, WaitingRuns waitingRuns,
            Experiments experiments, DataSource dataSource) {
        this.engine = engine;
        this.delivery = delivery;
        this.clocks = clocks;
        this.waitingRuns = waitingRuns;
        this.experiments = experiments;
        this.processed = new ProcessedLog(dataSource, CONSUMER);
        this.countedReplies = new ProcessedLog(dataSource, REPLIES);
        this.closes = new ProcessedLog(dataSource, CLOSES);
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(KafkaRecordBatch<String, String> batch) {
        return EnvelopeBatch.consume(batch, this::handle);
    }

    /**
     * A batch in one round: the processed ids looked up once, every event's workflows planned, all their commands sent
     * and acknowledged, then one transaction stores, in the batch's order, each plan with its event id and each
     * event's bookkeeping. Planning reads nothing that an earlier event stores (the catalog is in memory; a prompt
     * variant is chosen from the conversation's id), so planning ahead is safe; what the events store depends on
     * their order (a close cancels the waits stored before it, a reply counts for the variant assigned before it), so
     * the transaction keeps the order. A customer's message is one event, {@code message_received}: it moves the clock and
     * runs the workflows.
     */
    void handle(List<EnvelopeBatch.Item> events) throws Exception {
        List<String> triggering = events.stream().filter(e -> WorkflowEngine.triggerOf(e.envelope()).isPresent())
                .map(EnvelopeBatch.Item::id).toList();
        Set<String> done = processed.recorded(triggering);
        // the marks of the events not done before, recorded in one statement in the transaction that stores the plans
        ProcessedLog.Marks marks = processed.marks(triggering.stream().filter(id -> !done.contains(id)).toList());
        List<PlanDelivery.Step> steps = new ArrayList<>();
        // the clocks first, in the events' order and one round trip: nothing in the transaction reads them (the idle
        // check runs in its own), so only their own order matters
        List<Envelope> moving = events.stream().map(EnvelopeBatch.Item::envelope).filter(ConversationClocks::moves).toList();
        if (!moving.isEmpty()) {
            steps.add(new PlanDelivery.Bookkeeping(() -> clocks.observeAll(moving)));
        }
        for (EnvelopeBatch.Item event : events) {
            if (event.envelope().is(EventType.CONVERSATION_UPDATED) || event.envelope().is(EventType.MESSAGE_CREATED)) {
                steps.add(new PlanDelivery.Bookkeeping(() -> event.inTrace(() -> bookkeeping(event.envelope()))));
            }
            // sent again when the event comes again: ai-service keeps a message in its memory once
            WorkflowEngine.memoryTurn(event.envelope()).ifPresent(command -> steps.add(
                    new PlanDelivery.Delivery(WorkflowEngine.Plan.sending(command), () -> false, event.trace())));
            if (WorkflowEngine.triggerOf(event.envelope()).isPresent() && !done.contains(event.id())) {
                steps.add(new PlanDelivery.Delivery(event.callInTrace(() -> engine.plan(event.envelope())),
                        () -> marks.firstTime(event.id()), event.trace()));
            }
        }
        if (!steps.isEmpty()) {
            delivery.deliverAll(steps);
        }
    }

    /**
     * Cancelled waits and the A/B figures, which only {@code conversation_updated} and {@code message_created} bring
     * (the clocks move for the whole batch at once, above): all safe to repeat. A close cancels what waits only the
     * first time: delivered again (with the events after it, whose plans are not stored again) it would cancel the
     * waits that a message after the close started.
     */
    private void bookkeeping(Envelope event) {
        if (event.is(EventType.CONVERSATION_UPDATED)
                && ConversationStatus.CLOSED.equals(event.data().path("conversation").path("status").asText())
                && closes.record(event.id())) {
            waitingRuns.cancel(event.subject());
        }
        JsonNode message = event.data().path("message");
        JsonNode variant = message.path("metadata").path("prompt_variant");
        if (event.is(EventType.MESSAGE_CREATED) && SenderType.AI.wire().equals(message.path("sender_type").asText())
                && variant.hasNonNull("workflow_id") && countedReplies.record(message.path("id").asText())) {
            experiments.countReply(UUID.fromString(variant.get("workflow_id").asText()), event.subject());
        }
        if (event.is(EventType.CONVERSATION_UPDATED) && hasTag(event.data().path("conversation").path("tags"), NEEDS_HUMAN)) {
            experiments.handedOff(event.subject());
        }
    }

    private static boolean hasTag(JsonNode tags, String tag) {
        for (JsonNode t : tags) {
            if (tag.equals(t.asText())) {
                return true;
            }
        }
        return false;
    }
}
