package io.switchboard.chat.domain;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.persistence.FlushModeType;
import jakarta.transaction.TransactionScoped;

import org.hibernate.engine.spi.SessionImplementor;

import io.switchboard.common.data.Jdbc;

/**
 * Messages by idempotency key, within one transaction. A batch of commands asks which of its keys are stored in one
 * statement ({@link #lookUp}), so that each command's message then needs none ({@link #find}) unless its key is one of
 * them (a command delivered again); a key asked for once, found or not, is not asked for again in the transaction.
 */
@TransactionScoped
public class IdempotencyKeys {
    /** Keys whose answer is known in this transaction: stored before it, or not. */
    private final Set<String> lookedUp = new HashSet<>();
    /** Of those {@link #lookUp} asked for, the ones a message was stored under before: {@link #find} loads it. */
    private final Set<String> storedBefore = new HashSet<>();

    private final Jdbc jdbc;

    IdempotencyKeys(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    /**
     * Which of these keys have a message, in one statement. Plain SQL, not a query of the entity: Hibernate translates
     * a query whose list parameter changes length anew at each run (each batch has its own number of keys), and that
     * translation cost more than the statement; the keys are mostly new, so there is rarely a message to load.
     * Planned at each run, so a plan made while the table was small does not stay (see {@link Jdbc#queryPlannedEachRun}).
     */
    public void lookUp(Collection<String> keys) {
        List<String> notYet = keys.stream().distinct().filter(key -> !lookedUp.contains(key)).toList();
        if (notYet.isEmpty()) {
            return;
        }
        storedBefore.addAll(jdbc.queryPlannedEachRun(
                "select idempotency_key from messages where idempotency_key = any(?::text[])",
                row -> row.getString(1), (Object) notYet.toArray(String[]::new)));
        lookedUp.addAll(notYet);
    }

    /**
     * The message stored under this key, if any, this transaction's own included; without flushing the transaction's
     * writes first: a flush here would send each command's insert alone where the commit sends a batch's together, so
     * the messages this transaction has not written yet are looked up where they are, in its persistence context.
     */
    public Optional<Message> find(String key) {
        var session = Message.getEntityManager().unwrap(SessionImplementor.class);
        for (var held : session.getPersistenceContextInternal().reentrantSafeEntityEntries()) {
            if (held.getKey() instanceof Message message && key.equals(message.idempotencyKey)) {
                return Optional.of(message);
            }
        }
        if (!lookedUp.add(key) && !storedBefore.remove(key)) {
            return Optional.empty();
        }
        return Message.getEntityManager().createQuery("from Message where idempotencyKey = ?1", Message.class).setParameter(1, key)
                .setFlushMode(FlushModeType.COMMIT).getResultList().stream().findFirst();
    }
}
