package io.switchboard.chat.domain;

import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * The search index's pending list (V10) stays small as messages come in: an insert that passes the list's limit
 * merges the whole list into the index while its transaction holds conversations' locks, so the limit bounds the
 * longest insert. 5,000 messages make about 720 kB of pending entries; with PostgreSQL's default limit (4 MB) all of
 * them would still be waiting.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class GinPendingListTest {
    private static final int MESSAGES = 5_000;
    private static final int LIMIT_PAGES = 256 * 1024 / 8192;

    @Inject
    DataSource dataSource;

    @Test
    void theSearchIndexMergesItsPendingListAtAQuarterOfAMegabyte() {
        var jdbc = new Jdbc(dataSource);
        // pgstatginindex reads the index's metapage: how many entries wait in the list, on how many pages
        jdbc.update("create extension if not exists pgstattuple");
        QuarkusTransaction.requiringNew().run(() -> {
            GrownTable.inFrontOf(dataSource, "messages");
            jdbc.update("""
                    insert into messages (id, conversation_id, sender_type, content, created_at)
                    select gen_random_uuid(), gen_random_uuid(), 'customer', 'message ' || g || ' ' || md5(g::text) || ' ' || md5((g + 1)::text), now()
                    from generate_series(1, ?) g""", MESSAGES);
            long[] pending = jdbc.query("""
                    select pending_pages, pending_tuples from pgstatginindex((
                        select i.indexrelid from pg_index i join pg_class c on c.oid = i.indexrelid
                         where i.indrelid = 'messages'::regclass and c.relam = (select oid from pg_am where amname = 'gin')))""",
                    row -> new long[] { row.getLong(1), row.getLong(2) }).get(0);
            assertTrue(pending[1] < MESSAGES, "no message's entries were merged into the index: " + pending[1] + " of " + MESSAGES + " pending");
            assertTrue(pending[0] <= LIMIT_PAGES + 1, pending[0] + " pages pending, more than the limit's " + LIMIT_PAGES);
        });
    }
}
