package io.switchboard.chat.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.LockModeType;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import org.hibernate.LockMode;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.engine.spi.SessionImplementor;
import org.hibernate.persister.entity.EntityPersister;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

@Entity
@Table(name = "conversations")
public class Conversation extends PanacheEntityBase {
    @Id
    public UUID id;
    @ManyToOne(optional = false)
    @JoinColumn(name = "contact_id")
    public Contact contact;
    public String channel;
    public String status;
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    public List<String> tags = new ArrayList<>();
    /** The agent account the conversation is assigned to, or null. */
    @Column(name = "assignee_id")
    public UUID assigneeId;
    @Column(name = "created_at")
    public Instant createdAt;
    /** When it was last resolved; null when never. */
    @Column(name = "resolved_at")
    public Instant resolvedAt;
    /** When the customer was asked for a rating (the first resolution); null when not yet. */
    @Column(name = "rating_requested_at")
    public Instant ratingRequestedAt;
    /** The customer's rating, 1 to 5, given once; null when not given. */
    public Integer rating;
    @Column(name = "rated_at")
    public Instant ratedAt;
    @Column(name = "updated_at")
    public Instant updatedAt;

    /**
     * The conversation, locked for this transaction. Every change to a conversation takes this lock first, so
     * that its outbox rows are numbered in commit order and its events reach Kafka in that order. When the
     * transaction loaded it before without the lock, it is read again under the lock: Hibernate would otherwise only
     * lock the row and keep what it read before, and the change would write that back over one committed in between.
     */
    public static Optional<Conversation> lockById(UUID id) {
        SessionImplementor session = getEntityManager().unwrap(SessionImplementor.class);
        Object held = held(session, id);
        if (held == null) {
            return Optional.ofNullable(findById(id, LockModeType.PESSIMISTIC_WRITE));
        }
        // held under the lock (or written, which locks the row too): its unflushed changes are this transaction's own
        if (session.getCurrentLockMode(held).lessThan(LockMode.PESSIMISTIC_WRITE)) {
            session.refresh(held, LockModeType.PESSIMISTIC_WRITE);
        }
        return Optional.of((Conversation) held);
    }

    /**
     * Locks the conversations a batch of changes is about, in one statement and in id order, so that the batch's
     * changes find them held under the lock ({@link #lockById} then reads nothing): one round trip for the batch
     * instead of one per conversation, and two batches that lock in one order cannot wait for each other. Those the
     * transaction holds already are left to {@link #lockById}, which reads them again under the lock.
     */
    public static void lockAll(Collection<UUID> ids) {
        SessionImplementor session = getEntityManager().unwrap(SessionImplementor.class);
        List<UUID> notHeld = ids.stream().distinct().filter(id -> held(session, id) == null).toList();
        if (notHeld.size() > 1) {
            getEntityManager().createQuery("from Conversation c join fetch c.contact where c.id in ?1 order by c.id", Conversation.class)
                    .setParameter(1, notHeld).setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList();
        }
    }

    private static Object held(SessionImplementor session, UUID id) {
        EntityPersister persister = session.getFactory().getMappingMetamodel().getEntityDescriptor(Conversation.class);
        return session.getPersistenceContextInternal().getEntity(session.generateEntityKey(id, persister));
    }

    /**
     * The id of the contact's latest conversation on a channel that is not closed: where their next message belongs.
     * Only the id: the change that follows loads the conversation under its lock ({@link #lockById}), in one statement.
     */
    public static Optional<UUID> latestNotClosed(Contact contact, String channel) {
        return getEntityManager().createQuery("""
                select c.id from Conversation c where c.contact = ?1 and c.channel = ?2 and c.status <> ?3
                 order by c.createdAt desc""", UUID.class)
                .setParameter(1, contact).setParameter(2, channel).setParameter(3, io.switchboard.contracts.ConversationStatus.CLOSED)
                .setMaxResults(1).getResultStream().findFirst();
    }
}
