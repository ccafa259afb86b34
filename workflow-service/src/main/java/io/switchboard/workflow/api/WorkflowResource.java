package io.switchboard.workflow.api;

import java.util.List;

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

import io.smallrye.common.annotation.Blocking;
import io.switchboard.common.security.Roles;
import io.switchboard.workflow.domain.Experiments;
import io.switchboard.workflow.domain.Vocabulary;
import io.switchboard.workflow.domain.Workflows;

/** Public API v1 of workflows: agents read them, admins create, change and delete them. */
@Path("/api/workflows")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Blocking
public class WorkflowResource {
    private final Workflows workflows;

    WorkflowResource(Workflows workflows) {
        this.workflows = workflows;
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    public Response create(JsonNode body) {
        return Response.status(Response.Status.CREATED).entity(WorkflowViews.of(workflows.create(body))).build();
    }

    @GET
    @RolesAllowed(Roles.AGENT)
    public List<ObjectNode> list() {
        return workflows.list().stream().map(WorkflowViews::of).toList();
    }

    /** Triggers, actions, condition fields and operators, template variables and filters: what the editor offers. */
    @GET
    @Path("/vocabulary")
    @RolesAllowed(Roles.AGENT)
    public ObjectNode vocabulary() {
        return Vocabulary.describe();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.AGENT)
    public ObjectNode get(@PathParam("id") String id) {
        return WorkflowViews.of(workflows.get(id));
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    public ObjectNode replace(@PathParam("id") String id, JsonNode body) {
        return WorkflowViews.of(workflows.replace(id, body));
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    public Response delete(@PathParam("id") String id) {
        workflows.delete(id);
        return Response.noContent().build();
    }

    /** The A/B test of the workflow's AI prompts, per variant: conversations, AI replies, handoffs, replies before one. */
    @GET
    @Path("/{id}/experiment")
    @RolesAllowed(Roles.AGENT)
    public ExperimentView experiment(@PathParam("id") String id) {
        return new ExperimentView(id, workflows.experiment(id));
    }

    public record ExperimentView(String workflowId, List<Experiments.VariantReport> variants) {
    }

    @GET
    @Path("/{id}/executions")
    @RolesAllowed(Roles.AGENT)
    public List<ObjectNode> executions(@PathParam("id") String id,
            @QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("50") int size) {
        return workflows.executions(id, page, size).stream().map(WorkflowViews::of).toList();
    }
}
