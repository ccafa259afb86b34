package io.switchboard.chat.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Sort;

/** An agent account. The password is kept only as a bcrypt hash, and neither ever leaves this class's table. */
@Entity
@Table(name = "agents")
public class Agent extends PanacheEntityBase {
    @Id
    public UUID id;
    public String email;
    public String name;
    public String role;
    @Column(name = "password_hash")
    public String passwordHash;
    public boolean active;
    @Column(name = "tokens_not_before")
    public Instant tokensNotBefore;
    @Column(name = "last_assigned_at")
    public Instant lastAssignedAt;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;

    public static Optional<Agent> findByEmail(String email) {
        return find("lower(email) = lower(?1)", email).firstResultOptional();
    }

    public static List<Agent> listByName() {
        return listAll(Sort.ascending("name", "email"));
    }

    private static final long ROTATION_LOCK = 0x5B0A4D_0002L;

    /**
     * The active agent who was given a conversation longest ago (never first): round robin that survives restarts.
     * Picks are taken one at a time (a transaction-scoped advisory lock, across replicas), so two conversations assigned
     * at once go to two agents: a row lock would not do, as the second pick would wait for the same row and take it.
     */
    public static Optional<Agent> nextInRotation() {
        getEntityManager().createNativeQuery("select 1 from pg_advisory_xact_lock(" + ROTATION_LOCK + ")").getSingleResult();
        return find("active = true order by lastAssignedAt asc nulls first, createdAt asc").firstResultOptional();
    }
}
