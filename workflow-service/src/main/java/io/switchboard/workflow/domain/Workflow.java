package io.switchboard.workflow.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A stored workflow: its validated document, with the status and trigger type pulled out for queries. */
@Entity
@Table(name = "workflows")
public class Workflow extends PanacheEntityBase {
    public static final String ACTIVE = "ACTIVE";
    public static final String INACTIVE = "INACTIVE";

    @Id
    public UUID id;
    public String name;
    public String status;
    @Column(name = "trigger_type")
    public String triggerType;
    @ColumnTransformer(write = "?::jsonb")
    public String document;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
}
