package io.switchboard.workflow.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.switchboard.common.domain.DomainException;
import io.switchboard.common.domain.Inputs;

/**
 * Creates, changes and deletes workflows, each in its own transaction, and rebuilds the catalog after every change so
 * that the change applies from the next event on. The API and the seed loader both save through here.
 */
@ApplicationScoped
public class Workflows {
    public static final int MAX_PAGE_SIZE = 200;

    private final WorkflowCatalog catalog;
    private final Experiments experiments;

    Workflows(WorkflowCatalog catalog, Experiments experiments) {
        this.catalog = catalog;
        this.experiments = experiments;
    }

    public Workflow create(JsonNode document) {
        Workflow workflow = newWorkflow(WorkflowValidator.validate(document));
        QuarkusTransaction.requiringNew().run(() -> workflow.persist());
        catalog.reload();
        return workflow;
    }

    public Workflow replace(String id, JsonNode document) {
        WorkflowSpec spec = WorkflowValidator.validate(document);
        Workflow workflow = QuarkusTransaction.requiringNew().call(() -> {
            Workflow stored = find(id);
            write(stored, spec);
            return stored;
        });
        catalog.reload();
        return workflow;
    }

    public void delete(String id) {
        QuarkusTransaction.requiringNew().run(() -> find(id).delete());
        catalog.reload();
    }

    public List<Workflow> list() {
        return Workflow.<Workflow>findAll(Sort.by("createdAt").and("id")).list();
    }

    public Workflow get(String id) {
        return find(id);
    }

    /** The workflow's A/B test figures, per variant (empty when it has none). */
    public List<Experiments.VariantReport> experiment(String id) {
        return experiments.report(find(id).id);
    }

    /** The newest executions of a workflow first. */
    public List<Execution> executions(String id, int page, int size) {
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            throw DomainException.invalid("size", "page must be 0 or more and size between 1 and " + MAX_PAGE_SIZE);
        }
        PanacheQuery<Execution> query = Execution.find("workflowId", Sort.descending("startedAt"), find(id).id);
        return query.page(Page.of(page, size)).list();
    }

    /** Stores documents as new workflows in the caller's transaction; the caller reloads the catalog after it commits. */
    void persistAll(List<JsonNode> documents) {
        documents.stream().map(WorkflowValidator::validate).map(Workflows::newWorkflow).forEach(workflow -> workflow.persist());
    }

    private static Workflow newWorkflow(WorkflowSpec spec) {
        var workflow = new Workflow();
        workflow.id = UUID.randomUUID();
        workflow.createdAt = Instant.now();
        write(workflow, spec);
        return workflow;
    }

    private static void write(Workflow workflow, WorkflowSpec spec) {
        workflow.name = spec.name();
        workflow.status = spec.status();
        workflow.triggerType = spec.trigger().whenType().wire();
        workflow.document = io.switchboard.contracts.Json.write(spec.document());
        workflow.updatedAt = Instant.now();
    }

    private static Workflow find(String id) {
        Workflow workflow = Workflow.findById(Inputs.pathId(id, "workflow"));
        if (workflow == null) {
            throw DomainException.notFound("workflow", id);
        }
        return workflow;
    }
}
