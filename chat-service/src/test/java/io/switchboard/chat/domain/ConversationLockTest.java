package io.switchboard.chat.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

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

    private static List<String> tags(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> List.copyOf(Conversation.<Conversation>findById(id).tags));
    }
}
