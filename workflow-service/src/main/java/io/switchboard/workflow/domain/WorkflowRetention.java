package io.switchboard.workflow.domain;

import jakarta.enterprise.inject.Produces;

import io.switchboard.common.data.Retention;

/** What workflow-service forgets besides its processed ids ({@code RetentionJob}, {@code SWITCHBOARD_BOOKKEEPING_RETENTION}). */
public final class WorkflowRetention {
    /** Waits that ran or were cancelled: nothing reads them again. */
    @Produces
    static final Retention.Rule FINISHED_WAITS = new Retention.Rule("waiting_runs", "status <> 'waiting' and updated_at < ?");

    /**
     * Idle firings of waits that are over: a firing only stops a second one while its conversation still waits since
     * that moment, and a conversation's clocks only move forward.
     */
    @Produces
    static final Retention.Rule PAST_IDLE_FIRINGS = new Retention.Rule("idle_firings", "fired_at < ? and not exists (select 1 "
            + "from conversation_clocks c where c.conversation_id = idle_firings.conversation_id and idle_firings.wait_started_at "
            + "in (c.last_customer_at, c.last_agent_at, c.last_reply_at))");

    private WorkflowRetention() {
    }
}
