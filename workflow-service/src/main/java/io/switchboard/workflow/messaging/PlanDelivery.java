package io.switchboard.workflow.messaging;

import java.util.function.BooleanSupplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.switchboard.workflow.engine.WorkflowEngine;

/**
 * At least once without doubles, for every plan that an event or the clock starts: the commands are sent and
 * acknowledged first, then the plan is stored in one transaction with the mark that says it ran ({@code firstTime}:
 * a processed event id, an idle firing). A crash in between runs it again with the same derived ids, which the
 * receivers skip, and the mark stops a second store.
 */
@ApplicationScoped
public class PlanDelivery {
    private final CommandPublisher publisher;
    private final WorkflowEngine engine;

    PlanDelivery(CommandPublisher publisher, WorkflowEngine engine) {
        this.publisher = publisher;
        this.engine = engine;
    }

    public void deliver(WorkflowEngine.Plan plan, BooleanSupplier firstTime) throws Exception {
        publisher.sendAll(plan.commands());
        QuarkusTransaction.requiringNew().run(() -> {
            if (firstTime.getAsBoolean()) {
                engine.store(plan);
            }
        });
    }
}
