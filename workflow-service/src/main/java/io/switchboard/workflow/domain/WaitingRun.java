package io.switchboard.workflow.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** The rest of an execution that waits for a {@code wait} action: what to run, from which event, and when. */
@Entity
@Table(name = "waiting_runs")
public class WaitingRun extends PanacheEntityBase {
    public static final String WAITING = "waiting";
    public static final String DONE = "done";
    public static final String CANCELLED = "cancelled";

    @Id
    public UUID id;
    @Column(name = "execution_id")
    public UUID executionId;
    @Column(name = "workflow_id")
    public UUID workflowId;
    @Column(name = "workflow_name")
    public String workflowName;
    @Column(name = "conversation_id")
    public String conversationId;
    @Column(name = "first_index")
    public int firstIndex;
    @ColumnTransformer(write = "?::jsonb")
    public String actions;
    @ColumnTransformer(write = "?::jsonb")
    public String event;
    @Column(name = "due_at")
    public Instant dueAt;
    public String status;
    @Column(name = "updated_at")
    public Instant updatedAt;
}
