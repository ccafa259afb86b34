package io.switchboard.chat.domain;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

@Entity
@Table(name = "contacts")
public class Contact extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(name = "first_name")
    public String firstName;
    @Column(name = "last_name")
    public String lastName;
    public String email;
    public String phone;
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> attributes = new HashMap<>();
    @Column(name = "external_channel")
    public String externalChannel;
    @Column(name = "external_id")
    public String externalId;
    /** The site's own id of the visitor, from a signed identity token; null for anonymous and channel contacts. */
    @Column(name = "identity_id")
    public String identityId;
    /** True when the site's backend vouched for who this is (a valid identity token). */
    public boolean verified;
    @Column(name = "created_at")
    public Instant createdAt;

    public static Optional<Contact> findByIdentity(String identityId) {
        return find("identityId", identityId).firstResultOptional();
    }

    public static Optional<Contact> findByExternalId(String channel, String externalId) {
        return find("externalChannel = ?1 and externalId = ?2", channel, externalId).firstResultOptional();
    }
}
