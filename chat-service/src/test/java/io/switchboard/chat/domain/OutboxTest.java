package io.switchboard.chat.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
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

    @Inject
    Outbox outbox;
    @Inject
    DataSource dataSource;

    @Test
    void theRelaysBatchReadsItsOwnRowsOfAGrownTable() {
        QuarkusTransaction.requiringNew().run(() -> {
            // the statements planned while the outbox held a row or none, run again once it holds thousands
            var table = GrownTable.inFrontOf(dataSource, "outbox");
            for (int i = 0; i < 6; i++) {
                outbox.add(event());
                outbox.delete(outbox.oldest(1));
            }
            IntStream.range(0, LATER).forEach(i -> outbox.add(event()));
            assertTrue(outbox.lockForRelay());
            List<Outbox.Row> batch = outbox.oldest(2);
            long before = table.entriesRead();
            outbox.delete(batch);
            long read = table.entriesRead() - before;
            assertEquals(LATER - 2, outbox.waiting());
            assertTrue(read <= 2L * batch.size(), "deleting " + batch.size() + " rows read " + read + " of a table of " + LATER);
        });
    }

    private static Envelope event() {
        return Envelope.of(EventType.CONVERSATION_UPDATED, "outbox-test", UUID.randomUUID().toString(), Cause.NONE, Json.object());
    }
}
