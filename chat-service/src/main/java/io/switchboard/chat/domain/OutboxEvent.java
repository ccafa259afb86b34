package io.switchboard.chat.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One event waiting to be published: aggregate (conversation) id is the Kafka key, payload the envelope JSON. */
@Entity
@Table(name = "outbox")
public class OutboxEvent extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long seq;
    public UUID id;
    @Column(name = "aggregate_type")
    public String aggregateType;
    @Column(name = "aggregate_id")
    public String aggregateId;
    public String type;
    /** The envelope JSON, as written: stored without a second JSON encoding. */
    @ColumnTransformer(write = "?::jsonb")
    public String payload;
    /** W3C traceparent of the change that wrote this row, or null when tracing is off. */
    @Column(name = "trace_parent")
    public String traceParent;
    @Column(name = "created_at")
    public Instant createdAt;
}
