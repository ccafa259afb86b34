package io.switchboard.workflow.messaging;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.switchboard.common.messaging.EnvelopeConsumer;
import io.switchboard.common.messaging.ProcessedLog;
import io.switchboard.contracts.Envelope;
import io.switchboard.workflow.engine.WorkflowEngine;

/**
 * Runs the workflows of chat events, in order per conversation, at least once without doubles: the plan's commands
 * are sent and acknowledged first, then its executions and the event id are committed together. A crash in between
 * reruns the event; its executions and commands have the same derived ids, which the receivers skip.
 */
@ApplicationScoped
public class ChatEventConsumer {
    public static final String CHANNEL = "chat-events-in";
    static final String CONSUMER = "chat-events";

    private final WorkflowEngine engine;
    private final CommandPublisher publisher;
    private final ProcessedLog processed;

    ChatEventConsumer(WorkflowEngine engine, CommandPublisher publisher, DataSource dataSource) {
        this.engine = engine;
        this.publisher = publisher;
        this.processed = new ProcessedLog(dataSource, CONSUMER);
    }

    @Incoming(CHANNEL)
    @Blocking(ordered = true)
    public void consume(String payload) throws Exception {
        EnvelopeConsumer.consume(payload, this::handle);
    }

    private void handle(Envelope event) throws Exception {
        if (WorkflowEngine.triggerOf(event).isEmpty() || processed.contains(event.id())) {
            return;
        }
        WorkflowEngine.Plan plan = engine.plan(event);
        publisher.sendAll(plan.commands());
        QuarkusTransaction.requiringNew().run(() -> {
            if (processed.record(event.id())) {
                engine.store(plan);
            }
        });
    }
}
