package io.switchboard.workflow.definition;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.panache.common.Page;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import io.smallrye.common.annotation.Blocking;
import io.switchboard.common.api.ApiException;
import io.switchboard.common.security.Roles;
import io.switchboard.contracts.Json;
import io.switchboard.workflow.engine.WorkflowCatalog;
import io.switchboard.workflow.execution.Execution;

/** Public API v1 of workflows: agents read them, admins create, change and delete them. */
@Path("/api/workflows")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Blocking
public class WorkflowResource {
    private final WorkflowCatalog catalog;

    WorkflowResource(WorkflowCatalog catalog) {
        this.catalog = catalog;
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    public Response create(JsonNode body) {
        WorkflowSpec spec = WorkflowValidator.validate(body);
        var workflow = new Workflow();
        workflow.id = UUID.randomUUID();
        workflow.createdAt = Instant.now();
        save(workflow, spec, true);
        return Response.status(Response.Status.CREATED).entity(view(workflow)).build();
    }

    @GET
    @RolesAllowed(Roles.AGENT)
    public List<ObjectNode> list() {
        return Workflow.<Workflow>findAll(Sort.by("createdAt").and("id")).stream().map(WorkflowResource::view).toList();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.AGENT)
    public ObjectNode get(@PathParam("id") String id) {
        return view(find(id));
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    public ObjectNode replace(@PathParam("id") String id, JsonNode body) {
        WorkflowSpec spec = WorkflowValidator.validate(body);
        Workflow workflow = find(id);
        save(workflow, spec, false);
        return view(workflow);
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    public Response delete(@PathParam("id") String id) {
        Workflow workflow = find(id);
        deleteAndReload(workflow.id);
        return Response.noContent().build();
    }

    @GET
    @Path("/{id}/executions")
    @RolesAllowed(Roles.AGENT)
    public List<ObjectNode> executions(@PathParam("id") String id,
            @QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("50") int size) {
        if (page < 0 || size < 1 || size > 200) {
            throw ApiException.badRequest("size", "page must be 0 or more and size between 1 and 200");
        }
        Workflow workflow = find(id);
        return Execution.<Execution>find("workflowId", Sort.descending("startedAt"), workflow.id).page(Page.of(page, size)).list()
                .stream().map(WorkflowResource::view).toList();
    }

    /** Writes the workflow, then rebuilds the catalog, so that it runs from the next event on. */
    private void save(Workflow workflow, WorkflowSpec spec, boolean isNew) {
        workflow.name = spec.name();
        workflow.status = spec.status();
        workflow.triggerType = spec.trigger().whenType();
        workflow.document = Json.write(spec.document());
        workflow.updatedAt = Instant.now();
        QuarkusTransaction.requiringNew().run(() -> {
            if (isNew) {
                workflow.persist();
            } else {
                Workflow.getEntityManager().merge(workflow);
            }
        });
        catalog.reload();
    }

    private void deleteAndReload(UUID id) {
        QuarkusTransaction.requiringNew().run(() -> Workflow.deleteById(id));
        catalog.reload();
    }

    private static Workflow find(String id) {
        try {
            Workflow workflow = Workflow.findById(UUID.fromString(id));
            if (workflow != null) {
                return workflow;
            }
        } catch (IllegalArgumentException e) {
            // not a UUID: not found either
        }
        throw ApiException.notFound("workflow " + id + " not found");
    }

    static ObjectNode view(Workflow workflow) {
        ObjectNode view = Json.object().put("id", workflow.id.toString());
        try {
            view.setAll((ObjectNode) Json.MAPPER.readTree(workflow.document));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        view.put("created_at", workflow.createdAt.toString()).put("updated_at", workflow.updatedAt.toString());
        return view;
    }

    static ObjectNode view(Execution execution) {
        ObjectNode view = Json.object().put("id", execution.id.toString()).put("workflow_id", execution.workflowId.toString())
                .put("event_id", execution.eventId).put("event_type", execution.eventType)
                .put("conversation_id", execution.conversationId).put("outcome", execution.outcome)
                .put("depth", execution.depth).put("started_at", execution.startedAt.toString())
                .put("duration_ms", execution.durationMs);
        try {
            view.set("actions", Json.MAPPER.readTree(execution.actions));
            view.set("event", Json.MAPPER.readTree(execution.event));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return view;
    }
}
