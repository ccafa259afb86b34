package io.switchboard.chat.api;

import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.switchboard.chat.channel.Attachments;
import io.switchboard.common.domain.DomainException;
import io.switchboard.common.domain.Inputs;
import io.switchboard.common.security.BearerAuthentication;
import io.switchboard.common.security.Roles;

/**
 * A file a customer sent through a channel, streamed by chat-service so that no platform token reaches a browser:
 * agents, and the customer of that conversation. Images may be shown inline; anything else is a download, and the
 * browser is told not to guess the type.
 */
@Path("/api/conversations/{id}/messages/{mid}/attachments/{n}")
@Blocking
public class AttachmentResource {
    private final Attachments attachments;
    private final SecurityIdentity identity;

    AttachmentResource(Attachments attachments, SecurityIdentity identity) {
        this.attachments = attachments;
        this.identity = identity;
    }

    @GET
    @RolesAllowed({ Roles.AGENT, Roles.CUSTOMER })
    public Response open(@PathParam("id") String id, @PathParam("mid") String mid, @PathParam("n") int n) {
        UUID conversationId = Inputs.pathId(id, "conversation");
        if (!BearerAuthentication.caller(identity).mayAccess(conversationId)) {
            throw DomainException.forbidden("this token does not grant conversation " + conversationId);
        }
        Attachments.Attachment file = attachments.open(conversationId, Inputs.pathId(mid, "message"), n);
        String disposition = (file.inline() ? "inline" : "attachment") + "; filename=\"" + file.fileName().replaceAll("[\"\\\\\r\n]", "_") + "\"";
        return Response.ok(file.bytes(), file.contentType()).header("Content-Disposition", disposition)
                .header("X-Content-Type-Options", "nosniff").header("Cache-Control", "private, max-age=300")
                .header("Content-Security-Policy", "default-src 'none'; sandbox").build();
    }

}
