package io.switchboard.ai.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.common.messaging.ProcessedLog;
import io.switchboard.testing.GrownTable;
import io.switchboard.testing.KafkaTestResource;
import io.switchboard.testing.OpenAiStubResource;
import io.switchboard.testing.PostgresTestResource;

/**
 * The processed-id lookup of a batch on the real PostgreSQL, with the plan a long-running service can end up with: the
 * generic plan of its prepared statement, made while the log was small and kept while it grew (nothing analyzed the
 * table since). It reads the index entries of the batch's ids, not every id the consumer recorded before.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(OpenAiStubResource.class)
class ProcessedLogLookupTest {
    private static final int LATER = 5_000;

    @Inject
    DataSource dataSource;

    @Test
    void aBatchLookupReadsItsOwnIdsNotTheConsumersWholeLog() {
        var log = new ProcessedLog(dataSource, "lookup-test");
        List<String> batch = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString());
        QuarkusTransaction.requiringNew().run(() -> {
            // a few ids when the statement is planned, thousands when it runs again
            var table = GrownTable.inFrontOf(dataSource, "processed_messages");
            log.recordAll(List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString()));
            for (int i = 0; i < 6; i++) {
                assertEquals(Set.of(), log.recorded(batch));
            }
            List<String> later = IntStream.range(0, LATER).mapToObj(i -> UUID.randomUUID().toString()).toList();
            log.recordAll(later);
            List<String> lookedUp = List.of(batch.get(0), later.get(LATER / 2));
            long before = table.entriesRead();
            assertEquals(Set.of(later.get(LATER / 2)), log.recorded(lookedUp));
            long read = table.entriesRead() - before;
            assertTrue(read <= 2L * lookedUp.size(), "a lookup of " + lookedUp.size() + " ids read " + read + " entries of a log of " + LATER);
        });
    }
}
