package io.switchboard.chat.domain;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.persistence.FlushModeType;
import jakarta.transaction.TransactionScoped;

import org.hibernate.engine.spi.SessionImplementor;

/**
 * Messages by idempotency key, within one transaction. A batch of commands looks its keys up in one statement
 * ({@link #lookUp}), so that each command's message then needs none ({@link #find}); a key looked up once, found or
 * not, is not asked for again in the transaction.
 */
@TransactionScoped
public class IdempotencyKeys {
    private final Set<String> lookedUp = new HashSet<>();

    /** Loads the messages stored under these keys into the transaction, in one statement. */
    public void lookUp(Collection<String> keys) {
        List<String> notYet = keys.stream().distinct().filter(key -> !lookedUp.contains(key)).toList();
        if (notYet.isEmpty()) {
            return;
        }
        query("idempotencyKey in ?1", notYet).getResultList();
        lookedUp.addAll(notYet);
    }

    /**
     * The message stored under this key, if any, this transaction's own included; without flushing the transaction's
     * writes first: a flush here would send each command's insert alone where the commit sends a batch's together, so
     * the messages this transaction has not written yet (and those {@link #lookUp} loaded) are looked up where they
     * are, in its persistence context.
     */
    public Optional<Message> find(String key) {
        var session = Message.getEntityManager().unwrap(SessionImplementor.class);
        for (var held : session.getPersistenceContextInternal().reentrantSafeEntityEntries()) {
            if (held.getKey() instanceof Message message && key.equals(message.idempotencyKey)) {
                return Optional.of(message);
            }
        }
        if (!lookedUp.add(key)) {
            return Optional.empty();
        }
        return query("idempotencyKey = ?1", key).getResultStream().findFirst();
    }

    private static jakarta.persistence.TypedQuery<Message> query(String where, Object keys) {
        return Message.getEntityManager().createQuery("from Message where " + where, Message.class).setParameter(1, keys)
                .setFlushMode(FlushModeType.COMMIT);
    }
}
