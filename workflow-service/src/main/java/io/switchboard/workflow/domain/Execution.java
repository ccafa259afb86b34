package io.switchboard.workflow.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One run of one workflow on one event: what it did, action by action. */
@Entity
@Table(name = "executions")
public class Execution extends PanacheEntityBase {
    public static final String SUCCEEDED = "succeeded";
    public static final String PARTIAL = "partially_failed";
    /** A wait action holds the rest of the actions until it is due. */
    public static final String WAITING = "waiting";
    /** The conversation was closed while the execution waited: the rest never ran. */
    public static final String CANCELLED = "cancelled";

    @Id
    public UUID id;
    @Column(name = "workflow_id")
    public UUID workflowId;
    @Column(name = "event_id")
    public String eventId;
    @Column(name = "event_type")
    public String eventType;
    @Column(name = "conversation_id")
    public String conversationId;
    public String outcome;
    @ColumnTransformer(write = "?::jsonb")
    public String actions;
    @ColumnTransformer(write = "?::jsonb")
    public String event;
    public int depth;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "duration_ms")
    public double durationMs;
}
