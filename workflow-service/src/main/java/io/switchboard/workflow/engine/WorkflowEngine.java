package io.switchboard.workflow.engine;

import java.time.Instant;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.switchboard.contracts.CommandTypes;
import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.EventTypes;
import io.switchboard.contracts.Json;
import io.switchboard.workflow.WorkflowConfig;
import io.switchboard.workflow.engine.CommandPublisher.Command;
import io.switchboard.workflow.engine.CommandPublisher.Target;
import io.switchboard.workflow.execution.Execution;
import io.switchboard.workflow.template.TemplateContext;

/**
 * Runs the workflows an event fires. For each matching active workflow, in a stable order, its actions become
 * commands and its execution is logged. For a customer message, a reply request follows every workflow command on
 * the same ai-service topic and key, so ai-service applies a workflow's control before it decides to answer.
 *
 * <p>At least once, without doubles: commands are sent and acknowledged first, then the executions and the event id
 * are committed. A crash in between reruns the event; its executions and commands have the same derived ids, which
 * the receivers skip.
 */
@ApplicationScoped
public class WorkflowEngine {
    private static final Logger LOG = Logger.getLogger(WorkflowEngine.class);
    private static final Set<String> TRIGGERING = Set.of(EventTypes.MESSAGE_RECEIVED, EventTypes.CONVERSATION_CREATED,
            EventTypes.USER_CREATED, EventTypes.TAG_ADDED, EventTypes.TAG_REMOVED);

    private final WorkflowCatalog catalog;
    private final CommandPublisher publisher;
    private final EntityManager em;
    private final int maxDepth;

    private final MeterRegistry metrics;

    WorkflowEngine(WorkflowCatalog catalog, CommandPublisher publisher, EntityManager em, WorkflowConfig config, MeterRegistry metrics) {
        this.metrics = metrics;
        this.catalog = catalog;
        this.publisher = publisher;
        this.em = em;
        this.maxDepth = config.workflow().maxDepth();
    }

    public void handle(Envelope event) throws Exception {
        if (!TRIGGERING.contains(event.type())) {
            return;
        }
        if (alreadyProcessed(event.id())) {
            LOG.debugf("event %s already processed, skipped", event.id());
            return;
        }
        List<Command> commands = new ArrayList<>();
        List<Execution> executions = new ArrayList<>();
        if (event.depth() >= maxDepth) {
            LOG.warnf("event %s (%s) of conversation %s is %d workflow hops deep (limit %d): no workflow runs for it",
                    event.id(), event.type(), event.subject(), event.depth(), maxDepth);
        } else {
            run(event, commands, executions);
        }
        if (EventTypes.MESSAGE_RECEIVED.equals(event.type())) {
            commands.add(replyRequest(event, executions));
        }
        publisher.sendAll(commands);
        QuarkusTransaction.requiringNew().run(() -> {
            int inserted = em.createNativeQuery("insert into processed_events (id) values (?1) on conflict do nothing")
                    .setParameter(1, event.id()).executeUpdate();
            if (inserted == 1) {
                executions.forEach(execution -> em.merge(execution));
            }
        });
    }

    private void run(Envelope event, List<Command> commands, List<Execution> executions) {
        String trigger = EventTypes.MESSAGE_RECEIVED.equals(event.type()) ? "receive_message" : event.type();
        ObjectNode context = TemplateContext.of(event);
        for (WorkflowCatalog.Active active : catalog.matching(trigger, event.text("content"), event.text("tag"))) {
            if (!Conditions.allHold(active.spec().conditions(), event.data())) {
                continue;
            }
            long started = System.nanoTime();
            String workflowId = active.workflow().id.toString();
            String executionId = Json.derivedId(event.id(), workflowId);
            var cause = event.causeForFollowUp(workflowId, executionId);
            ArrayNode log = Json.MAPPER.createArrayNode();
            boolean failed = false;
            List<ObjectNode> actions = active.spec().actions();
            for (int i = 0; i < actions.size(); i++) {
                ObjectNode entry = log.addObject().put("index", i).put("action_type", actions.get(i).path("action_type").asText());
                try {
                    Command command = ActionRunner.command(actions.get(i), i, event.subject(), workflowId, active.spec().name(),
                            executionId, cause, context);
                    commands.add(command);
                    entry.put("outcome", "sent").put("command_id", command.envelope().id()).put("command_type", command.envelope().type());
                    metrics.counter("switchboard.workflow.actions", "type", entry.path("action_type").asText(), "outcome", "sent").increment();
                    entry.set("command", command.envelope().data());
                } catch (RuntimeException e) {
                    // one failing action is logged and the others still run, as does the AI reply
                    failed = true;
                    entry.put("outcome", "failed").put("error", e.getMessage());
                    metrics.counter("switchboard.workflow.actions", "type", entry.path("action_type").asText(), "outcome", "failed").increment();
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
        return new Command(Target.AI, Envelope.of(id, CommandTypes.REPLY_REQUEST, ActionRunner.SOURCE, event.subject(),
                event.causeForFollowUp(null, null), data));
    }

    private boolean alreadyProcessed(String eventId) {
        return QuarkusTransaction.requiringNew().call(() -> !em.createNativeQuery("select 1 from processed_events where id = ?1")
                .setParameter(1, eventId).getResultList().isEmpty());
    }
}
