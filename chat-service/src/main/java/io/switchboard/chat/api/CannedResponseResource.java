package io.switchboard.chat.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.switchboard.chat.domain.CannedResponse;
import io.switchboard.chat.domain.CannedResponses;
import io.switchboard.common.domain.DomainException;
import io.switchboard.common.domain.Inputs;
import io.switchboard.common.security.BearerAuthentication;
import io.switchboard.common.security.Roles;

/** The team's canned responses, and one rendered for the conversation an agent is answering. */
@Path("/api/canned-responses")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.AGENT)
@Blocking
public class CannedResponseResource {
    private final CannedResponses responses;
    private final SecurityIdentity identity;

    CannedResponseResource(CannedResponses responses, SecurityIdentity identity) {
        this.responses = responses;
        this.identity = identity;
    }

    public record CannedResponseView(UUID id, String shortCode, String content, UUID createdBy, Instant createdAt, Instant updatedAt) {
        static CannedResponseView of(CannedResponse r) {
            return new CannedResponseView(r.id, r.shortCode, r.content, r.createdBy, r.createdAt, r.updatedAt);
        }
    }

    public record RenderRequest(String shortCode, String conversationId) {
    }

    public record Rendered(String shortCode, String content) {
    }

    @GET
    public List<CannedResponseView> list() {
        return responses.list().stream().map(CannedResponseView::of).toList();
    }

    @POST
    public Response create(CannedResponses.Input body) {
        var created = responses.create(body, BearerAuthentication.caller(identity));
        return Response.status(Response.Status.CREATED).entity(CannedResponseView.of(created)).build();
    }

    @PUT
    @Path("/{id}")
    public CannedResponseView update(@PathParam("id") String id, CannedResponses.Input body) {
        return CannedResponseView.of(responses.update(Inputs.pathId(id, "canned response"), body, BearerAuthentication.caller(identity)));
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id) {
        responses.delete(Inputs.pathId(id, "canned response"), BearerAuthentication.caller(identity));
        return Response.noContent().build();
    }

    /** The text to put in the reply box: the response's template filled in for that conversation (nothing is sent). */
    @POST
    @Path("/render")
    public Rendered render(RenderRequest body) {
        if (body == null || body.conversationId() == null) {
            throw DomainException.invalid("conversation_id", "conversation_id is required");
        }
        UUID conversationId = Inputs.fieldId(body.conversationId(), "conversation_id", "conversation_id must be a conversation's id");
        return new Rendered(body.shortCode(), responses.render(body.shortCode(), conversationId));
    }

}
