package io.switchboard.chat.domain;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.switchboard.common.data.Jdbc;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.EventType;
import io.switchboard.contracts.Cause;
import io.switchboard.contracts.Json;
import io.switchboard.testing.GrownTable;
import io.switchboard.testing.KafkaTestResource;
import io.switchboard.testing.PostgresTestResource;

/**
 * The relay's statements on the real PostgreSQL when the outbox has grown since they were first planned (rows
 * deleted but not yet vacuumed make it many pages): a batch reads its own rows, not the whole table.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class OutboxTest {
    private static final int LATER = 5_000;
    /** Rows taken before the table grew: their index entries stay in front of the waiting rows until a vacuum. */
    private static final int DELETED_IN_FRONT = 6;

    @Inject
    Outbox outbox;
    @Inject
    DataSource dataSource;

    @Test
    void theRelaysBatchReadsItsOwnRowsOfAGrownTable() {
        QuarkusTransaction.requiringNew().run(() -> {
            // the statements planned while the outbox held a row or none, run again once it holds thousands
            var table = GrownTable.inFrontOf(dataSource, "outbox");
            for (int i = 0; i < DELETED_IN_FRONT; i++) {
                outbox.add(event());
                // the first take waits for this application's own relay, if it holds the lock, to let go; this
                // transaction then holds it to its end
                await().pollInSameThread().atMost(Duration.ofSeconds(10)).until(() -> !outbox.take(1).isEmpty());
            }
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < LATER; i++) {
                Envelope event = event();
                outbox.add(event);
                ids.add(event.id());
            }
            long before = table.entriesRead();
            List<Outbox.Row> batch = outbox.take(2);
            long read = table.entriesRead() - before;
            assertEquals(ids.subList(0, 2), batch.stream().map(row -> row.id().toString()).toList(), "the oldest, in order");
            assertEquals(LATER - 2, outbox.waiting());
            // its own rows, and the entries of the rows deleted in front of them: an index entry and a row each
            long bound = 2L * (batch.size() + DELETED_IN_FRONT);
            assertTrue(read <= bound, "taking " + batch.size() + " rows read " + read + " (at most " + bound + ") of a table of " + LATER);
        });
    }

    @Test
    void whileOneRelayHoldsTheLockAnotherTakesNothing() {
        QuarkusTransaction.begin();
        try {
            outbox.add(event());
            // the first relay takes the lock with its batch (once this application's own relay, if it runs, lets go)
            await().pollInSameThread().atMost(Duration.ofSeconds(10)).until(() -> !outbox.take(1).isEmpty());
            // another replica's relay: its own event is waiting in its transaction, and it may not take it
            String waiting = QuarkusTransaction.requiringNew().call(() -> {
                Envelope event = event();
                outbox.add(event);
                assertEquals(List.of(), outbox.take(10), "nothing while the lock is held");
                return event.id();
            });
            assertEquals(List.of(waiting), written(new Jdbc(dataSource), List.of(waiting)), "left for the next batch");
        } finally {
            // not published: these are no conversation's
            QuarkusTransaction.rollback();
        }
    }

    @Test
    void aTransactionsEventsAreWrittenTogetherAsItCommitsOrReadsTheOutbox() {
        var jdbc = new Jdbc(dataSource);
        List<String> ids = new ArrayList<>();
        QuarkusTransaction.begin();
        try {
            for (int i = 0; i < 3; i++) {
                Envelope event = event();
                outbox.add(event);
                ids.add(event.id());
            }
            assertEquals(List.of(), written(jdbc, ids), "nothing written while the transaction goes on");
            outbox.waiting();
            assertEquals(ids, written(jdbc, ids), "written when it reads the outbox itself, numbered in the order added");
        } finally {
            // not published: these are no conversation's
            QuarkusTransaction.rollback();
        }
        assertEquals(List.of(), written(jdbc, ids), "a rolled-back transaction leaves none");
    }

    /** The ids of these events in the outbox, in the order of their numbers, as the caller's connection sees it. */
    private static List<String> written(Jdbc jdbc, List<String> ids) {
        return jdbc.query("select id::text from outbox where id = any(?::uuid[]) order by seq", row -> row.getString(1),
                (Object) ids.toArray(String[]::new));
    }

    private static Envelope event() {
        return Envelope.of(EventType.CONVERSATION_UPDATED, "outbox-test", UUID.randomUUID().toString(), Cause.NONE, Json.object());
    }
}
