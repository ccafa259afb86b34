package io.switchboard.workflow.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.switchboard.common.messaging.KeyedRecords;
import io.switchboard.common.work.Outages;
import io.switchboard.workflow.engine.WorkflowEngine;

/**
 * At least once without doubles, for every plan that an event or the clock starts: the commands are sent and
 * acknowledged first, then the plan is stored in one transaction with the mark that says it ran ({@code firstTime}:
 * a processed event id, an idle firing). A crash in between runs it again with the same derived ids, which the
 * receivers skip, and the mark stops a second store. Plans of a batch go together: all their commands are sent (each
 * plan's in its order, in the trace of its event) before the acknowledgements are awaited once, and all are stored in
 * one transaction, in the batch's order, with the batch's bookkeeping (work that sends nothing) where it falls.
 */
@ApplicationScoped
public class PlanDelivery {
    /** What a batch stores, in its order. */
    public sealed interface Step permits Delivery, Bookkeeping {
    }

    /** A plan, the mark that it ran (false when it ran before: nothing is stored), and the trace it belongs to. */
    public record Delivery(WorkflowEngine.Plan plan, BooleanSupplier firstTime, Context trace) implements Step {
    }

    /** Work that sends nothing and is safe to repeat, stored in the plans' transaction at its place in the order. */
    public record Bookkeeping(Outages.Work work) implements Step {
    }

    private final CommandPublisher publisher;
    private final WorkflowEngine engine;

    PlanDelivery(CommandPublisher publisher, WorkflowEngine engine) {
        this.publisher = publisher;
        this.engine = engine;
    }

    public void deliver(WorkflowEngine.Plan plan, BooleanSupplier firstTime) throws Exception {
        deliverAll(List.of(new Delivery(plan, firstTime, Context.current())));
    }

    public void deliverAll(List<? extends Step> steps) throws Exception {
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (Step step : steps) {
            if (step instanceof Delivery delivery) {
                try (Scope scope = delivery.trace().makeCurrent()) {
                    acks.addAll(publisher.send(delivery.plan().commands()));
                }
            }
        }
        KeyedRecords.awaitAll(acks);
        QuarkusTransaction.requiringNew().call(() -> {
            for (Step step : steps) {
                switch (step) {
                    case Delivery delivery -> {
                        if (delivery.firstTime().getAsBoolean()) {
                            engine.store(delivery.plan());
                        }
                    }
                    case Bookkeeping bookkeeping -> bookkeeping.work().run();
                }
            }
            return null;
        });
    }
}
