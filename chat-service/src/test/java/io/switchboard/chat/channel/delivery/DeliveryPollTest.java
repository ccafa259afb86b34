package io.switchboard.chat.channel.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.common.data.Jdbc;
import io.switchboard.testing.GrownTable;
import io.switchboard.testing.KafkaTestResource;
import io.switchboard.testing.PostgresTestResource;

/**
 * The delivery poll, which runs every second on every replica, on a messages table that has grown since anything
 * analyzed it: it picks the right message and reads only the pending ones, however many web messages (never
 * delivered, so never pending) the table holds.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class DeliveryPollTest {
    private static final int WEB_MESSAGES = 20_000;

    @Inject
    DataSource dataSource;

    @Test
    void thePollReadsOnlyThePendingMessagesOfAGrownTable() {
        QuarkusTransaction.requiringNew().run(() -> {
            var table = GrownTable.inFrontOf(dataSource, "messages");
            var jdbc = new Jdbc(dataSource);
            UUID waiting = UUID.randomUUID();
            UUID other = UUID.randomUUID();
            jdbc.update("""
                    insert into messages (id, conversation_id, sender_type, content, created_at)
                    select gen_random_uuid(), case when g % 2 = 0 then ?::uuid else ?::uuid end, 'customer', 'web message ' || g,
                           now() - g * interval '1 millisecond'
                    from generate_series(1, ?) g""", waiting, other, WEB_MESSAGES);
            // the oldest pending message of one conversation waits for its retry and holds back the next one behind it
            UUID retrying = pending(jdbc, waiting, 1, "now() + interval '1 minute'");
            pending(jdbc, waiting, 2, "null");
            UUID due = pending(jdbc, other, 3, "null");

            long before = table.entriesRead();
            List<UUID> next = jdbc.query(OutboundDelivery.NEXT_DUE, row -> row.getObject(1, UUID.class));
            long read = table.entriesRead() - before;

            assertEquals(List.of(due), next, "the other conversation's message, not the one behind " + retrying);
            int pendingRows = 3;
            assertTrue(read <= 3L * pendingRows, "the poll read " + read + " rows (at most " + 3 * pendingRows + ": the " + pendingRows
                    + " pending ones, each by the scan, the check for an older one and the lock) of a table of " + (WEB_MESSAGES + pendingRows));
        });
    }

    /** A message waiting for delivery, {@code order} milliseconds after the web messages, due at {@code nextAttempt}. */
    private static UUID pending(Jdbc jdbc, UUID conversation, int order, String nextAttempt) {
        UUID id = UUID.randomUUID();
        jdbc.update("insert into messages (id, conversation_id, sender_type, content, delivery_status, next_attempt_at, created_at)"
                + " values (?, ?, 'agent', 'reply', 'pending', " + nextAttempt + ", now() + ? * interval '1 millisecond')", id, conversation, order);
        return id;
    }
}
