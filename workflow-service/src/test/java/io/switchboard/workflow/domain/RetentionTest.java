package io.switchboard.workflow.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.common.data.Jdbc;
import io.switchboard.common.messaging.RetentionJob;
import io.switchboard.testing.KafkaTestResource;
import io.switchboard.testing.PostgresTestResource;

@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
/** workflow-service's retention: its processed ids and its own rules ({@link WorkflowRetention}). */
class RetentionTest {
    private static final Timestamp MONTH_AGO = Timestamp.from(Instant.now().minus(Duration.ofDays(30)).truncatedTo(ChronoUnit.MILLIS));
    private static final Timestamp NOW = Timestamp.from(Instant.now().truncatedTo(ChronoUnit.MILLIS));

    @Inject
    RetentionJob job;

    @Inject
    DataSource dataSource;

    @Test
    void bookkeepingOlderThanTheRetentionGoesAndWhatCanStillMatterStays() {
        Jdbc jdbc = new Jdbc(dataSource);
        String tag = UUID.randomUUID().toString();
        jdbc.update("insert into processed_messages (consumer, message_id, processed_at) values ('retention-test', ?, ?), ('retention-test', ?, ?)",
                tag + "-old", MONTH_AGO, tag + "-new", NOW);
        UUID oldDone = run(jdbc, tag, "done", MONTH_AGO);
        UUID oldWaiting = run(jdbc, tag, "waiting", MONTH_AGO);
        UUID newDone = run(jdbc, tag, "cancelled", NOW);
        // two idle firings of a month ago: one for a wait that is over (a newer message), one whose conversation still
        // waits since then (deleting it would fire the workflow again)
        String over = tag + "-over";
        String stillWaiting = tag + "-waiting";
        clock(jdbc, over, NOW);
        clock(jdbc, stillWaiting, MONTH_AGO);
        UUID workflow = UUID.randomUUID();
        for (String conversation : List.of(over, stillWaiting)) {
            jdbc.update("insert into idle_firings (workflow_id, conversation_id, wait_started_at, fired_at) values (?, ?, ?, ?)",
                    workflow, conversation, MONTH_AGO, MONTH_AGO);
        }

        job.prune();

        assertEquals(List.of(tag + "-new"), jdbc.query("select message_id from processed_messages where message_id like ? order by 1",
                row -> row.getString(1), tag + "%"));
        assertEquals(Set.of(oldWaiting, newDone), Set.copyOf(jdbc.query(
                "select id from waiting_runs where conversation_id = ?", row -> row.getObject(1, UUID.class), tag)));
        assertEquals(List.of(stillWaiting), jdbc.query("select conversation_id from idle_firings where workflow_id = ?",
                row -> row.getString(1), workflow));
        assertEquals(0, jdbc.query("select 1 from waiting_runs where id = ?", row -> 1, oldDone).size());
    }

    /** A wait due tomorrow (so the resumer leaves it alone), last changed at {@code updatedAt}. */
    private static UUID run(Jdbc jdbc, String conversation, String status, Timestamp updatedAt) {
        UUID id = UUID.randomUUID();
        jdbc.update("insert into waiting_runs (id, execution_id, workflow_id, workflow_name, conversation_id, first_index, actions, event, "
                + "due_at, status, updated_at) values (?, ?, ?, 'retention test', ?, 1, '[]'::jsonb, '{}'::jsonb, now() + interval '1 day', ?, ?)",
                id, UUID.randomUUID(), UUID.randomUUID(), conversation, status, updatedAt);
        return id;
    }

    /** A conversation whose customer last wrote at {@code lastCustomerAt}, not answered since. */
    private static void clock(Jdbc jdbc, String conversation, Timestamp lastCustomerAt) {
        jdbc.update("insert into conversation_clocks (conversation_id, last_customer_at, closed, snapshot, updated_at) "
                + "values (?, ?, false, '{}'::jsonb, ?)", conversation, lastCustomerAt, lastCustomerAt);
    }
}
