package io.switchboard.chat.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A stock answer of the team, picked by its short code in the reply box; its content is a template. */
@Entity
@Table(name = "canned_responses")
public class CannedResponse extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(name = "short_code")
    public String shortCode;
    public String content;
    /** The agent account that made it; null for the bootstrap token. */
    @Column(name = "created_by")
    public UUID createdBy;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
}
