package io.switchboard.chat.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.smallrye.common.annotation.Blocking;
import io.switchboard.common.domain.DomainException;
import io.switchboard.common.domain.Inputs;
import io.switchboard.common.security.Roles;
import io.switchboard.chat.domain.Agent;
import io.switchboard.chat.domain.Agents;

/** Agent accounts: admins create, list and change them; every agent may see who can be assigned. */
@Path("/api/agents")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Blocking
public class AgentResource {
    private final Agents agents;

    AgentResource(Agents agents) {
        this.agents = agents;
    }

    /** An account as admins see it: never the password or its hash. */
    public record AgentView(UUID id, String email, String name, String role, boolean active, Instant createdAt) {
        static AgentView of(Agent a) {
            return new AgentView(a.id, a.email, a.name, a.role, a.active, a.createdAt);
        }
    }

    /** What any agent may know of a colleague: enough to assign a conversation. */
    public record ColleagueView(UUID id, String name) {
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    public Response create(Agents.NewAgent body) {
        if (body == null) {
            throw DomainException.invalid("body", "a JSON body is required");
        }
        return Response.status(Response.Status.CREATED).entity(AgentView.of(agents.create(body))).build();
    }

    @GET
    @RolesAllowed(Roles.ADMIN)
    public List<AgentView> list() {
        return agents.list().stream().map(AgentView::of).toList();
    }

    @GET
    @Path("/assignable")
    @RolesAllowed(Roles.AGENT)
    public List<ColleagueView> assignable() {
        return agents.list().stream().filter(a -> a.active).map(a -> new ColleagueView(a.id, a.name)).toList();
    }

    @PATCH
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    public AgentView update(@PathParam("id") String id, Agents.AgentChange body) {
        if (body == null) {
            throw DomainException.invalid("body", "a JSON body is required");
        }
        return AgentView.of(agents.update(Inputs.pathId(id, "agent"), body));
    }

}
