package io.switchboard.chat.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.switchboard.common.domain.DomainException;
import io.switchboard.common.security.BearerAuthentication;
import io.switchboard.common.security.Caller;
import io.switchboard.common.security.Roles;
import io.vertx.core.http.HttpServerRequest;
import io.switchboard.chat.domain.SignIn;

/** Sign-in with email and password, and who the bearer of a token is. */
@Path("/api/auth")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Blocking
public class AuthResource {
    private final SignIn signIn;
    private final SecurityIdentity identity;
    private final RequestOrigin origin;

    AuthResource(SignIn signIn, SecurityIdentity identity, RequestOrigin origin) {
        this.signIn = signIn;
        this.identity = identity;
        this.origin = origin;
    }

    public record Credentials(String email, String password) {
    }

    public record Me(String id, String name, String role) {
    }

    @POST
    @Path("/login")
    public SignIn.AccessToken login(Credentials body, @Context HttpServerRequest request) {
        if (body == null) {
            throw DomainException.invalid("body", "a JSON body is required");
        }
        return signIn.signIn(body.email(), body.password(), origin.address(request));
    }

    @GET
    @Path("/me")
    @RolesAllowed(Roles.AGENT)
    public Me me() {
        Caller caller = BearerAuthentication.caller(identity);
        return new Me(caller.id(), caller.name(), caller.isAdmin() ? Roles.ADMIN : Roles.AGENT);
    }
}
