package io.switchboard.workflow.domain;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.switchboard.contracts.Json;
import io.switchboard.workflow.WorkflowConfig;

/**
 * With {@code SWITCHBOARD_WORKFLOW_SEED=true} (what {@code ./switchboard up} sets), an empty workflow table gets the
 * example workflows on start, so a first run shows the whole idea at once. Replicas starting together take a
 * lock, so the examples are loaded once.
 */
@ApplicationScoped
public class SeedLoader {
    private static final Logger LOG = Logger.getLogger(SeedLoader.class);
    // Example 1 of the specification ships as written, INACTIVE: it answers everyone with "help" as premium, which the
    // shipped Premium support does only for verified premium customers
    private static final List<String> SEEDS = List.of("premium-support", "spanish-support", "human-handoff", "example-1-premium-support");
    private static final long ADVISORY_LOCK = 0x5B0A4D_0002L;

    void onStart(@Observes StartupEvent start, WorkflowConfig config, EntityManager em, Workflows workflows, WorkflowCatalog catalog) {
        if (!config.workflow().seed()) {
            return;
        }
        int loaded = QuarkusTransaction.requiringNew().call(() -> {
            em.createNativeQuery("select pg_advisory_xact_lock(" + ADVISORY_LOCK + ")").getSingleResult();
            if (Workflow.count() > 0) {
                return 0;
            }
            workflows.persistAll(SEEDS.stream().map(SeedLoader::read).toList());
            return SEEDS.size();
        });
        if (loaded > 0) {
            LOG.infof("loaded the %d example workflows of the seed", loaded);
            catalog.reload();
        }
    }

    private static JsonNode read(String name) {
        try (InputStream in = SeedLoader.class.getResourceAsStream("/seed/" + name + ".json")) {
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
