package io.switchboard.chat.domain;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** Failed sign-ins in a row for one key ({@code email:...} or {@code address:...}), and the lock they led to. */
@Entity
@Table(name = "login_failures")
public class LoginFailure extends PanacheEntityBase {
    @Id
    public String key;
    public int failures;
    @Column(name = "locked_until")
    public Instant lockedUntil;
    @Column(name = "updated_at")
    public Instant updatedAt;
}
