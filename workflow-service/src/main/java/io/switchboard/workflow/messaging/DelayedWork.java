package io.switchboard.workflow.messaging;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.switchboard.contracts.Cause;
import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.EventType;
import io.switchboard.contracts.Json;
import io.switchboard.contracts.TriggerType;
import io.switchboard.workflow.domain.ConversationClocks;
import io.switchboard.workflow.domain.WaitingRun;
import io.switchboard.workflow.domain.WaitingRuns;
import io.switchboard.workflow.domain.WorkflowCatalog;
import io.switchboard.workflow.engine.WorkflowEngine;

/**
 * What runs on the clock rather than on an event: due {@code wait} actions resume, and idle conversations fire their
 * {@code conversation_idle} workflows. Both send first and commit after, as the event consumer does: a due run stays
 * locked by one replica while its commands are sent, and its derived command ids make a rerun after a crash harmless.
 */
@ApplicationScoped
public class DelayedWork {
    private static final Logger LOG = Logger.getLogger(DelayedWork.class);
    static final int BATCH = 20;

    private final WorkflowEngine engine;
    private final CommandPublisher publisher;
    private final WaitingRuns waitingRuns;
    private final ConversationClocks clocks;
    private final WorkflowCatalog catalog;
    private final PlanDelivery delivery;

    DelayedWork(WorkflowEngine engine, CommandPublisher publisher, WaitingRuns waitingRuns, ConversationClocks clocks,
            WorkflowCatalog catalog, PlanDelivery delivery) {
        this.delivery = delivery;
        this.engine = engine;
        this.publisher = publisher;
        this.waitingRuns = waitingRuns;
        this.clocks = clocks;
        this.catalog = catalog;
    }

    @Scheduled(every = "${switchboard.workflow.resume-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void resumeDueRuns() {
        try {
            while (QuarkusTransaction.requiringNew().call(this::resumeBatch) == BATCH) {
                // a full batch: more may be due
            }
        } catch (Exception e) {
            LOG.warnf("could not resume waiting workflows, trying again: %s", e.toString());
        }
    }

    private int resumeBatch() throws Exception {
        var due = waitingRuns.lockDue(BATCH);
        for (WaitingRun run : due) {
            WorkflowEngine.Resumed resumed = engine.resume(run);
            publisher.sendAll(resumed.plan().commands());
            engine.store(resumed.plan());
            waitingRuns.finish(run, resumed.steps().log(), resumed.steps().failed(), resumed.steps().waiting() != null);
        }
        return due.size();
    }

    @Scheduled(every = "${switchboard.workflow.idle-check-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void fireIdleTriggers() {
        for (WorkflowCatalog.Active active : catalog.withTrigger(TriggerType.CONVERSATION_IDLE)) {
            try {
                fire(active);
            } catch (Exception e) {
                LOG.warnf("idle workflow %s: %s", active.workflow().id, e.toString());
            }
        }
    }

    private void fire(WorkflowCatalog.Active active) throws Exception {
        var idle = active.spec().trigger().idle();
        var found = QuarkusTransaction.requiringNew().call(() -> clocks.idle(active.workflow().id, idle.waitingOn(), idle.minutes(),
                active.workflow().updatedAt, BATCH));
        for (ConversationClocks.Idle conversation : found) {
            String workflowId = active.workflow().id.toString();
            var data = conversation.snapshot().deepCopy().put("workflow_id", workflowId)
                    .put("waiting_on", idle.waitingOn().wire()).put("minutes", idle.minutes())
                    .put("waited_since", conversation.waitStartedAt().toString());
            Envelope event = Envelope.of(Json.derivedId(workflowId, conversation.conversationId(), conversation.waitStartedAt().toString()),
                    EventType.CONVERSATION_IDLE, "workflow-service", conversation.conversationId(), Cause.NONE, data);
            delivery.deliver(engine.plan(event),
                    () -> clocks.fired(active.workflow().id, conversation.conversationId(), conversation.waitStartedAt()));
            LOG.debugf("idle workflow %s fired for conversation %s, waiting since %s", workflowId, conversation.conversationId(),
                    conversation.waitStartedAt());
        }
    }
}
