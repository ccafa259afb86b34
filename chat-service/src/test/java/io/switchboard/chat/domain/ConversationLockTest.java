package io.switchboard.chat.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.hibernate.LockMode;
import org.hibernate.engine.spi.SessionImplementor;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.chat.ChatTestSupport;
import io.switchboard.contracts.Cause;
import io.switchboard.testing.KafkaTestResource;
import io.switchboard.testing.PostgresTestResource;

/** Taking a conversation's lock on the real PostgreSQL, whatever the transaction loaded before. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class ConversationLockTest {
    @Inject
    Conversations conversations;
    @Inject
    DataSource dataSource;

    @Test
    void lockingAConversationLoadedBeforeReadsItAgainSoAChangeCommittedInBetweenIsKept() {
        UUID id = UUID.fromString(ChatTestSupport.startConversation("Lock", null).id());
        QuarkusTransaction.requiringNew().run(() -> {
            Conversation loaded = Conversation.findById(id);
            // another transaction changes the row between the plain load and the lock, and commits
            CompletableFuture.runAsync(() -> QuarkusTransaction.requiringNew()
                    .run(() -> conversations.addTag(id, "tagged-in-between", Cause.NONE))).join();
            Conversation locked = Conversation.lockById(id).orElseThrow();
            assertSame(loaded, locked);
            assertEquals(List.of("tagged-in-between"), locked.tags);
            locked.updatedAt = Instant.now();
        });
        assertEquals(List.of("tagged-in-between"), tags(id));
    }

    @Test
    void lockingAConversationTheTransactionHoldsLockedKeepsItsChanges() {
        UUID id = UUID.fromString(ChatTestSupport.startConversation("Lock", null).id());
        // two changes in one transaction, as a batch of commands applies them: the second locks what the first changed
        QuarkusTransaction.requiringNew().run(() -> {
            conversations.addTag(id, "first", Cause.NONE);
            conversations.addTag(id, "second", Cause.NONE);
        });
        assertEquals(List.of("first", "second"), tags(id));
    }

    @Test
    void lockingABatchsConversationsTakesEveryLockAtOnceSoItsChangesReadNothingMore() {
        UUID a = UUID.fromString(ChatTestSupport.startConversation("Batch", null).id());
        UUID b = UUID.fromString(ChatTestSupport.startConversation("Batch", null).id());
        QuarkusTransaction.requiringNew().run(() -> {
            Conversation.lockAll(List.of(b, a, b));
            SessionImplementor session = Conversation.getEntityManager().unwrap(SessionImplementor.class);
            for (UUID id : List.of(a, b)) {
                Object held = session.getPersistenceContextInternal()
                        .getEntity(session.generateEntityKey(id, session.getEntityPersister(null, new Conversation())));
                assertNotNull(held, "loaded by the batch's lock");
                assertEquals(LockMode.PESSIMISTIC_WRITE, session.getCurrentLockMode(held), "held under the lock: no read again");
                assertEquals("55P03", CompletableFuture.supplyAsync(() -> lockElsewhere(id)).join(), "locked in the database");
            }
            conversations.addTag(a, "batched", Cause.NONE);
        });
        assertEquals(List.of("batched"), tags(a));
        assertNull(lockElsewhere(a), "released at commit");
    }

    /** The SQL state of a lock taken on another connection without waiting: null when it was free. */
    private String lockElsewhere(UUID id) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("select 1 from conversations where id = ? for update nowait")) {
            statement.setObject(1, id);
            statement.executeQuery().close();
            return null;
        } catch (SQLException e) {
            return e.getSQLState();
        }
    }

    private static List<String> tags(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> List.copyOf(Conversation.<Conversation>findById(id).tags));
    }
}
