package io.switchboard.workflow.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.contracts.CommandType;
import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.EventType;
import io.switchboard.contracts.Json;
import io.switchboard.contracts.SenderType;
import io.switchboard.contracts.TriggerType;
import io.switchboard.contracts.WorkflowAction;
import io.switchboard.workflow.WorkflowConfig;
import io.switchboard.workflow.domain.Execution;
import io.switchboard.workflow.domain.Experiments;
import io.switchboard.workflow.domain.WaitingRun;
import io.switchboard.workflow.domain.WorkflowCatalog;
import io.switchboard.workflow.domain.WorkflowValidator;
import io.switchboard.common.template.TemplateContext;

/**
 * Decides what the workflows an event fires do. For each matching active workflow, in a stable order, its actions
 * become commands and its execution is logged; a {@code wait} action holds the actions after it in a
 * {@link WaitingRun}, resumed when it is due ({@link #resume}). For a customer message, a reply request follows every
 * workflow command on the same ai-service topic and key, so ai-service applies a workflow's control before it decides
 * to answer. The caller sends the plan's commands and then {@link #store stores} the rest of it.
 */
@ApplicationScoped
public class WorkflowEngine {
    private static final Logger LOG = Logger.getLogger(WorkflowEngine.class);

    /** The commands to send, in order, and what to store once they are acknowledged. */
    public record Plan(List<Command> commands, List<Execution> executions, List<WaitingRun> waiting, List<Experiments.Assignment> assignments) {
        static Plan empty() {
            return new Plan(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        }

        /** A plan that only sends one command and stores nothing. */
        public static Plan sending(Command command) {
            Plan plan = empty();
            plan.commands().add(command);
            return plan;
        }
    }

    /** What one run of actions did: its log entries, whether one failed, and the run that waits, if any. */
    public record Steps(ArrayNode log, boolean failed, WaitingRun waiting) {
    }

    private final WorkflowCatalog catalog;
    private final EntityManager em;
    private final int maxDepth;
    private final MeterRegistry metrics;
    private final Experiments experiments;

    WorkflowEngine(WorkflowCatalog catalog, EntityManager em, WorkflowConfig config, MeterRegistry metrics, Experiments experiments) {
        this.experiments = experiments;
        this.catalog = catalog;
        this.em = em;
        this.maxDepth = config.workflow().maxDepth();
        this.metrics = metrics;
    }

    /** The trigger an event fires, if any: events that fire none need no work at all. */
    public static Optional<TriggerType> triggerOf(Envelope event) {
        return EventType.parse(event.type()).flatMap(TriggerType::firedBy);
    }

    /**
     * For a stored message that ai-service did not see itself (an agent's, a workflow's, a customer's rating), the
     * command that adds it to the AI's memory of the conversation, on the topic and key of the reply requests, so the
     * memory keeps the conversation's order. The AI's own answers and the customer's questions (their reply requests)
     * need none.
     */
    public static Optional<Command> memoryTurn(Envelope event) {
        JsonNode message = event.data().path("message");
        if (!event.is(EventType.MESSAGE_CREATED) || SenderType.AI.wire().equals(message.path("sender_type").asText())) {
            return Optional.empty();
        }
        ObjectNode data = Json.object().put("message_id", message.path("id").asText(null))
                .put("sender_type", message.path("sender_type").asText()).put("content", message.path("content").asText(""));
        return Optional.of(followUp(event, CommandType.REMEMBER_MESSAGE, data));
    }

    public Plan plan(Envelope event) {
        Plan plan = Plan.empty();
        Optional<TriggerType> trigger = triggerOf(event);
        if (trigger.isEmpty()) {
            return plan;
        }
        if (event.depth() >= maxDepth) {
            LOG.warnf("event %s (%s) of conversation %s is %d workflow hops deep (limit %d): no workflow runs for it",
                    event.id(), event.type(), event.subject(), event.depth(), maxDepth);
        } else {
            var matching = trigger.get() == TriggerType.CONVERSATION_IDLE
                    ? catalog.byId(event.text("workflow_id")).stream().toList()
                    : catalog.matching(trigger.get(), event.text("content"), event.text("tag"));
            for (WorkflowCatalog.Active active : matching) {
                if (Conditions.allHold(active.spec().conditions(), event.data())) {
                    execute(active, event, plan);
                }
            }
        }
        if (trigger.get() == TriggerType.RECEIVE_MESSAGE) {
            plan.commands().add(replyRequest(event, plan.executions()));
        }
        return plan;
    }

    /** A resumed run: the plan to send and store, and what its actions did, for the execution's log. */
    public record Resumed(Plan plan, Steps steps) {
    }

    /** The plan for the rest of a waiting execution, which is due now. */
    public Resumed resume(WaitingRun run) {
        Plan plan = Plan.empty();
        Envelope event = Json.MAPPER.convertValue(Json.read(run.event), Envelope.class);
        String workflowId = run.workflowId.toString();
        String executionId = run.executionId.toString();
        var origin = new ActionCommands.Origin(run.conversationId, workflowId, run.workflowName, executionId,
                event.causeForFollowUp(workflowId, executionId));
        List<WorkflowAction> actions = new ArrayList<>();
        JsonNode stored = Json.read(run.actions);
        for (int i = 0; i < stored.size(); i++) {
            actions.add(WorkflowValidator.action(stored.get(i), "actions[" + (run.firstIndex + i) + "]"));
        }
        Steps steps = runActions(actions, run.firstIndex, origin, TemplateContext.of(event), event, plan);
        if (steps.waiting() != null) {
            plan.waiting().add(steps.waiting());
        }
        return new Resumed(plan, steps);
    }

    /** Stores the plan's executions, waiting runs and experiment assignments, in the caller's transaction. */
    public void store(Plan plan) {
        plan.executions().forEach(em::merge);
        plan.waiting().forEach(em::merge);
        plan.assignments().forEach(experiments::assign);
    }

    private void execute(WorkflowCatalog.Active active, Envelope event, Plan plan) {
        long started = System.nanoTime();
        String workflowId = active.workflow().id.toString();
        String executionId = Json.derivedId(event.id(), workflowId);
        var origin = new ActionCommands.Origin(event.subject(), workflowId, active.spec().name(), executionId,
                event.causeForFollowUp(workflowId, executionId));
        Steps steps = runActions(active.spec().actions(), 0, origin, TemplateContext.of(event), event, plan);
        var execution = new Execution();
        execution.id = UUID.fromString(executionId);
        execution.workflowId = active.workflow().id;
        execution.eventId = event.id();
        execution.eventType = event.type();
        execution.conversationId = event.subject();
        execution.outcome = steps.waiting() != null ? Execution.WAITING : steps.failed() ? Execution.PARTIAL : Execution.SUCCEEDED;
        execution.actions = Json.write(steps.log());
        execution.event = Json.write(event);
        execution.depth = event.depth();
        execution.startedAt = Instant.now();
        execution.durationMs = (System.nanoTime() - started) / 1e6;
        plan.executions().add(execution);
        if (steps.waiting() != null) {
            plan.waiting().add(steps.waiting());
        }
        metrics.counter("switchboard.workflow.executions", "workflow", active.spec().name(), "outcome", execution.outcome).increment();
    }

    /** Runs actions from {@code first} (their place in the workflow) until the end or a wait. */
    private Steps runActions(List<WorkflowAction> actions, int first, ActionCommands.Origin origin, ObjectNode context,
            Envelope event, Plan plan) {
        ArrayNode log = Json.MAPPER.createArrayNode();
        boolean failed = false;
        for (int i = 0; i < actions.size(); i++) {
            int index = first + i;
            WorkflowAction action = actions.get(i);
            String actionType = action.type().wire();
            ObjectNode entry = log.addObject().put("index", index).put("action_type", actionType);
            if (action instanceof WorkflowAction.Wait wait) {
                Instant due = Instant.now().plusSeconds(wait.seconds());
                entry.put("outcome", "waiting").put("resume_at", due.toString());
                ArrayNode rest = Json.MAPPER.createArrayNode();
                for (int k = i + 1; k < actions.size(); k++) {
                    rest.add(actions.get(k).toDocument());
                    log.addObject().put("index", first + k).put("action_type", actions.get(k).type().wire()).put("outcome", "pending");
                }
                return new Steps(log, failed, rest.isEmpty() ? null : waitingRun(origin, event, index + 1, rest, due));
            }
            try {
                Command command = ActionCommands.command(action, index, origin, context);
                plan.commands().add(command);
                entry.put("outcome", "sent").put("command_id", command.envelope().id()).put("command_type", command.envelope().type());
                entry.set("command", command.envelope().data());
                JsonNode variant = command.envelope().data().path("prompt_variant");
                if (variant.has("name")) {
                    entry.put("variant", variant.path("name").asText());
                    plan.assignments().add(new Experiments.Assignment(UUID.fromString(origin.workflowId()), origin.conversationId(),
                            variant.path("name").asText()));
                }
                metrics.counter("switchboard.workflow.actions", "type", actionType, "outcome", "sent").increment();
            } catch (RuntimeException e) {
                // one failing action is logged and the others still run, as does the AI reply
                failed = true;
                entry.put("outcome", "failed").put("error", e.getMessage());
                metrics.counter("switchboard.workflow.actions", "type", actionType, "outcome", "failed").increment();
                LOG.warnf("workflow %s action %d failed on event %s: %s", origin.workflowId(), index, event.id(), e.getMessage());
            }
        }
        return new Steps(log, failed, null);
    }

    private static WaitingRun waitingRun(ActionCommands.Origin origin, Envelope event, int firstIndex, ArrayNode rest, Instant due) {
        var run = new WaitingRun();
        run.id = UUID.fromString(Json.derivedId(origin.executionId(), "wait", Integer.toString(firstIndex)));
        run.executionId = UUID.fromString(origin.executionId());
        run.workflowId = UUID.fromString(origin.workflowId());
        run.workflowName = origin.workflowName();
        run.conversationId = origin.conversationId();
        run.firstIndex = firstIndex;
        run.actions = Json.write(rest);
        run.event = Json.write(event);
        run.dueAt = due;
        run.status = WaitingRun.WAITING;
        run.updatedAt = Instant.now();
        return run;
    }

    private static Command replyRequest(Envelope event, List<Execution> executions) {
        ObjectNode data = Json.object()
                .put("message_id", event.data().path("message").path("id").asText(null))
                .put("content", event.text("content"));
        data.set("contact", event.data().path("contact"));
        data.set("conversation", event.data().path("conversation"));
        executions.forEach(execution -> data.withArray("executions").add(execution.id.toString()));
        return followUp(event, CommandType.REPLY_REQUEST, data);
    }

    /** A command that follows from the event itself, not from a workflow: its id derives from the event and the type. */
    private static Command followUp(Envelope event, CommandType type, ObjectNode data) {
        return new Command(type, Envelope.of(Json.derivedId(event.id(), type.wire()), type, ActionCommands.SOURCE, event.subject(),
                event.causeForFollowUp(null, null), data));
    }
}
