package io.switchboard.workflow.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.contracts.CommandType;
import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.EventType;
import io.switchboard.contracts.Json;
import io.switchboard.contracts.TriggerType;
import io.switchboard.contracts.WorkflowAction;
import io.switchboard.workflow.WorkflowConfig;
import io.switchboard.workflow.domain.Execution;
import io.switchboard.workflow.template.TemplateContext;
import io.switchboard.workflow.domain.WorkflowCatalog;

/**
 * Decides what the workflows an event fires do. For each matching active workflow, in a stable order, its actions
 * become commands and its execution is logged. For a customer message, a reply request follows every workflow
 * command on the same ai-service topic and key, so ai-service applies a workflow's control before it decides to answer.
 * The consumer sends the plan's commands and then {@link #store stores} its executions.
 */
@ApplicationScoped
public class WorkflowEngine {
    private static final Logger LOG = Logger.getLogger(WorkflowEngine.class);

    /** The commands to send, in order, and the executions to store once they are acknowledged. */
    public record Plan(List<Command> commands, List<Execution> executions) {
    }

    private final WorkflowCatalog catalog;
    private final EntityManager em;
    private final int maxDepth;
    private final MeterRegistry metrics;

    WorkflowEngine(WorkflowCatalog catalog, EntityManager em, WorkflowConfig config, MeterRegistry metrics) {
        this.catalog = catalog;
        this.em = em;
        this.maxDepth = config.workflow().maxDepth();
        this.metrics = metrics;
    }

    /** The trigger an event fires, if any: events that fire none need no work at all. */
    public static Optional<TriggerType> triggerOf(Envelope event) {
        return EventType.parse(event.type()).flatMap(TriggerType::firedBy);
    }

    public Plan plan(Envelope event) {
        List<Command> commands = new ArrayList<>();
        List<Execution> executions = new ArrayList<>();
        Optional<TriggerType> trigger = triggerOf(event);
        if (trigger.isEmpty()) {
            return new Plan(commands, executions);
        }
        if (event.depth() >= maxDepth) {
            LOG.warnf("event %s (%s) of conversation %s is %d workflow hops deep (limit %d): no workflow runs for it",
                    event.id(), event.type(), event.subject(), event.depth(), maxDepth);
        } else {
            run(trigger.get(), event, commands, executions);
        }
        if (trigger.get() == TriggerType.RECEIVE_MESSAGE) {
            commands.add(replyRequest(event, executions));
        }
        return new Plan(commands, executions);
    }

    /** Stores the plan's executions, in the caller's transaction. */
    public void store(Plan plan) {
        plan.executions().forEach(em::merge);
    }

    private void run(TriggerType trigger, Envelope event, List<Command> commands, List<Execution> executions) {
        ObjectNode context = TemplateContext.of(event);
        for (WorkflowCatalog.Active active : catalog.matching(trigger, event.text("content"), event.text("tag"))) {
            if (!Conditions.allHold(active.spec().conditions(), event.data())) {
                continue;
            }
            long started = System.nanoTime();
            String workflowId = active.workflow().id.toString();
            String executionId = Json.derivedId(event.id(), workflowId);
            var origin = new ActionCommands.Origin(event.subject(), workflowId, active.spec().name(), executionId,
                    event.causeForFollowUp(workflowId, executionId));
            ArrayNode log = Json.MAPPER.createArrayNode();
            boolean failed = false;
            List<WorkflowAction> actions = active.spec().actions();
            for (int i = 0; i < actions.size(); i++) {
                String actionType = actions.get(i).type().wire();
                ObjectNode entry = log.addObject().put("index", i).put("action_type", actionType);
                try {
                    Command command = ActionCommands.command(actions.get(i), i, origin, context);
                    commands.add(command);
                    entry.put("outcome", "sent").put("command_id", command.envelope().id()).put("command_type", command.envelope().type());
                    entry.set("command", command.envelope().data());
                    metrics.counter("switchboard.workflow.actions", "type", actionType, "outcome", "sent").increment();
                } catch (RuntimeException e) {
                    // one failing action is logged and the others still run, as does the AI reply
                    failed = true;
                    entry.put("outcome", "failed").put("error", e.getMessage());
                    metrics.counter("switchboard.workflow.actions", "type", actionType, "outcome", "failed").increment();
                    LOG.warnf("workflow %s action %d failed on event %s: %s", workflowId, i, event.id(), e.getMessage());
                }
            }
            var execution = new Execution();
            execution.id = UUID.fromString(executionId);
            execution.workflowId = active.workflow().id;
            execution.eventId = event.id();
            execution.eventType = event.type();
            execution.conversationId = event.subject();
            execution.outcome = failed ? Execution.PARTIAL : Execution.SUCCEEDED;
            execution.actions = Json.write(log);
            execution.event = Json.write(event);
            execution.depth = event.depth();
            execution.startedAt = Instant.now();
            execution.durationMs = (System.nanoTime() - started) / 1e6;
            executions.add(execution);
            metrics.counter("switchboard.workflow.executions", "workflow", active.spec().name(), "outcome", execution.outcome).increment();
        }
    }

    private static Command replyRequest(Envelope event, List<Execution> executions) {
        ObjectNode data = Json.object()
                .put("message_id", event.data().path("message").path("id").asText(null))
                .put("content", event.text("content"));
        data.set("contact", event.data().path("contact"));
        data.set("conversation", event.data().path("conversation"));
        executions.forEach(execution -> data.withArray("executions").add(execution.id.toString()));
        String id = Json.derivedId(event.id(), "reply_request");
        return new Command(CommandType.REPLY_REQUEST, Envelope.of(id, CommandType.REPLY_REQUEST, ActionCommands.SOURCE,
                event.subject(), event.causeForFollowUp(null, null), data));
    }
}
