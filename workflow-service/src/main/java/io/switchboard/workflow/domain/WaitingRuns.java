package io.switchboard.workflow.domain;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import com.fasterxml.jackson.databind.node.ArrayNode;

import io.switchboard.contracts.Json;

/**
 * Executions that wait: the due ones are locked for one replica at a time ({@code FOR UPDATE SKIP LOCKED}), finished
 * once their actions were sent, and cancelled when their conversation is closed. Every method runs in the caller's
 * transaction.
 */
@ApplicationScoped
public class WaitingRuns {
    private final EntityManager em;

    WaitingRuns(EntityManager em) {
        this.em = em;
    }

    /** Due runs, locked until the caller's transaction ends; another replica skips them. */
    @SuppressWarnings("unchecked")
    public List<WaitingRun> lockDue(int limit) {
        return em.createNativeQuery("""
                select * from waiting_runs where status = 'waiting' and due_at <= now()
                 order by due_at limit ?1 for update skip locked""", WaitingRun.class).setParameter(1, limit).getResultList();
    }

    /** Marks a run done and writes what its actions did into its execution's log. */
    public void finish(WaitingRun run, ArrayNode log, boolean failed, boolean waitsAgain) {
        run.status = WaitingRun.DONE;
        run.updatedAt = Instant.now();
        em.merge(run);
        Execution execution = Execution.findById(run.executionId);
        if (execution != null) {
            ArrayNode entries = (ArrayNode) Json.read(execution.actions);
            log.forEach(entry -> {
                int index = entry.path("index").asInt();
                if (index < entries.size()) {
                    entries.set(index, entry);
                } else {
                    entries.add(entry);
                }
            });
            execution.actions = Json.write(entries);
            execution.outcome = waitsAgain ? Execution.WAITING : failed ? Execution.PARTIAL : Execution.SUCCEEDED;
        }
    }

    /** Cancels what waits in a conversation that was closed; the executions say so. */
    public int cancel(String conversationId) {
        List<WaitingRun> waiting = WaitingRun.list("conversationId = ?1 and status = ?2", conversationId, WaitingRun.WAITING);
        for (WaitingRun run : waiting) {
            run.status = WaitingRun.CANCELLED;
            run.updatedAt = Instant.now();
            Execution execution = Execution.findById(run.executionId);
            if (execution != null) {
                execution.outcome = Execution.CANCELLED;
            }
        }
        return waiting.size();
    }
}
