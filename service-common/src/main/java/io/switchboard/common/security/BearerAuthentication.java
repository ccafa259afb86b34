package io.switchboard.common.security;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.BaseAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Quarkus Security for {@code Authorization: Bearer <token>}: resources say who may call them with
 * {@code @RolesAllowed} and read the {@link Caller} from the identity ({@link #caller}).
 */
@ApplicationScoped
public class BearerAuthentication implements HttpAuthenticationMechanism {
    static final String CALLER = "switchboard.caller";

    /** The token of one request, on its way to {@link Provider}. */
    public static final class BearerRequest extends BaseAuthenticationRequest {
        final String token;

        BearerRequest(String token) {
            this.token = token;
        }
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String token = bearer(context.request().getHeader(HttpHeaderNames.AUTHORIZATION));
        if (token == null) {
            return Uni.createFrom().optional(java.util.Optional.empty());
        }
        return identityProviderManager.authenticate(new BearerRequest(token));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(HttpResponseStatus.UNAUTHORIZED.code(), HttpHeaderNames.WWW_AUTHENTICATE, "Bearer"));
    }

    /** Ahead of quarkus-oidc's own bearer mechanism: this one hands the identity provider's tokens to it itself. */
    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 100;
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(BearerRequest.class);
    }

    /** The token of an {@code Authorization: Bearer ...} header, or null. */
    static String bearer(String authorization) {
        if (authorization == null || authorization.length() <= 7 || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return authorization.substring(7).strip();
    }

    /** The caller behind an authenticated identity. */
    public static Caller caller(SecurityIdentity identity) {
        Caller caller = identity.getAttribute(CALLER);
        if (caller == null) {
            throw new io.quarkus.security.UnauthorizedException();
        }
        return caller;
    }

    /** Turns a bearer token into an identity with the caller's roles; a token that is not good fails with 401. */
    @ApplicationScoped
    public static class Provider implements IdentityProvider<BearerRequest> {
        private final BearerTokens tokens;

        Provider(BearerTokens tokens) {
            this.tokens = tokens;
        }

        @Override
        public Class<BearerRequest> getRequestType() {
            return BearerRequest.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(BearerRequest request, AuthenticationRequestContext context) {
            return tokens.resolveAsync(request.token).onItem().transformToUni(caller -> caller
                    .map(c -> Uni.createFrom().<SecurityIdentity>item(identity(c)))
                    .orElseGet(() -> Uni.createFrom().failure(new AuthenticationFailedException("invalid or expired token"))));
        }

        static SecurityIdentity identity(Caller caller) {
            String principal = switch (caller.kind()) {
                case BOOTSTRAP -> "bootstrap";
                case AGENT -> caller.id();
                case CUSTOMER -> "customer:" + caller.id();
            };
            return QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(principal))
                    .addRoles(caller.roles())
                    .addAttribute(CALLER, caller)
                    .build();
        }
    }
}
