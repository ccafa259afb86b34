package io.switchboard.chat.domain;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

@Entity
@Table(name = "messages")
public class Message extends PanacheEntityBase {
    public static final String DELIVERY_PENDING = "pending";
    public static final String DELIVERY_SENT = "sent";
    public static final String DELIVERY_FAILED = "failed";

    @Id
    public UUID id;
    @Column(name = "conversation_id")
    public UUID conversationId;
    @Column(name = "sender_type")
    public String senderType;
    /** The agent account that wrote an agent's message, and its name then (null for the bootstrap token). */
    @Column(name = "sender_id")
    public UUID senderId;
    @Column(name = "sender_name")
    public String senderName;
    public String content;
    @Column(name = "message_type")
    public String messageType;
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> metadata = new HashMap<>();
    @Column(name = "idempotency_key")
    public String idempotencyKey;
    @Column(name = "delivery_status")
    public String deliveryStatus;
    @Column(name = "delivery_error")
    public String deliveryError;
    @Column(name = "delivery_attempts")
    public int deliveryAttempts;
    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;
    @Column(name = "created_at")
    public Instant createdAt;
    /** A private note: agents' eyes only, never delivered, never seen by workflows or the model. */
    @Column(name = "private")
    public boolean privateNote;
    /** When the customer last edited it on their platform; null when never. */
    @Column(name = "edited_at")
    public Instant editedAt;
}
