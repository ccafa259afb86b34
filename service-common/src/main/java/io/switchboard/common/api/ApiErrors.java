package io.switchboard.common.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.switchboard.common.domain.DomainException;
import io.switchboard.common.work.Outages;

/** Every error answers JSON {@code {"error": ..., "field": ...}}; nothing internal leaks into it. */
public class ApiErrors {
    private static final Logger LOG = Logger.getLogger(ApiErrors.class);

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ErrorBody(String error, String field) {
    }

    public static Response response(int status, String message, String field) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new ErrorBody(message, field)).build();
    }

    /** The one place where a domain refusal becomes an HTTP status. */
    @ServerExceptionMapper
    public Response refused(DomainException e) {
        int status = switch (e.kind()) {
            case INVALID -> 400;
            case UNAUTHENTICATED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case TOO_MANY_REQUESTS -> 429;
        };
        return response(status, e.getMessage(), e.field());
    }

    /** No token on an endpoint that needs one. */
    @ServerExceptionMapper
    public Response unauthenticated(io.quarkus.security.UnauthorizedException e) {
        return response(401, "sign in: send Authorization: Bearer <token>", null);
    }

    /** A token that is forged, expired, of a deactivated agent, or not ours. */
    @ServerExceptionMapper
    public Response badToken(io.quarkus.security.AuthenticationFailedException e) {
        return response(401, "invalid or expired token", null);
    }

    /** A good token whose role may not do this. */
    @ServerExceptionMapper
    public Response forbidden(io.quarkus.security.ForbiddenException e) {
        return response(403, e.getMessage() == null || e.getMessage().isBlank() ? "your role may not do this" : e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e) {
        String field = null;
        if (e instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            field = mismatch.getPath().stream().map(ref -> ref.getFieldName() == null ? "[" + ref.getIndex() + "]" : ref.getFieldName())
                    .reduce((a, b) -> a + "." + b).orElse(null);
        }
        String message = e instanceof InvalidFormatException ? "has the wrong type" : "malformed JSON: " + e.getOriginalMessage();
        return response(400, field == null ? message : field + " " + message, field);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return response(status, status == 415 ? "send application/json" : e.getMessage(), null);
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 100)
    public Response unexpected(RuntimeException e) {
        if (e instanceof DomainException refusal) {
            return refused(refusal);
        }
        if (Outages.isOutage(e)) {
            LOG.warn("dependency unavailable: " + e.getMessage());
            return Response.fromResponse(response(503, "temporarily unavailable, try again", null)).header("Retry-After", "1").build();
        }
        LOG.error("unexpected error", e);
        return response(500, "internal error", null);
    }
}
