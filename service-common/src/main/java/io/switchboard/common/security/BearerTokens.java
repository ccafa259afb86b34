package io.switchboard.common.security;

import java.util.Optional;

import io.smallrye.mutiny.Uni;

import jakarta.enterprise.context.ApplicationScoped;


/**
 * Resolves a bearer token to a {@link Caller}, the same way in every service and on every transport (HTTP and the
 * WebSocket handshake): the bootstrap admin token ({@code SWITCHBOARD_AGENT_TOKEN}), an agent access token of an
 * account that is still active, a customer token, or (with single sign-on) a token of the company's identity provider.
 */
@ApplicationScoped
public class BearerTokens {
    private final String bootstrapToken;
    private final Tokens tokens;
    private final AgentStatuses statuses;
    private final SingleSignOn singleSignOn;

    BearerTokens(SecurityConfig config, AgentStatuses statuses, SingleSignOn singleSignOn) {
        this.bootstrapToken = config.agentToken();
        this.tokens = Tokens.verifier(config.token().publicKey());
        this.statuses = statuses;
        this.singleSignOn = singleSignOn;
    }

    /** {@link #resolve}, and with single sign-on on, the identity provider's tokens too (which may take a key fetch). */
    public Uni<Optional<Caller>> resolveAsync(String token) {
        Optional<Caller> ours = resolve(token);
        if (ours.isPresent() || !singleSignOn.enabled() || token == null || token.isBlank()) {
            return Uni.createFrom().item(ours);
        }
        return singleSignOn.resolve(token);
    }

    /** Only the roles an account can hold: a token cannot grant itself {@code customer} or anything unknown. */
    private static java.util.Set<String> accountRoles(java.util.Set<String> claimed) {
        return claimed.stream().filter(Roles.ACCOUNT_ROLES::contains).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** The caller this token stands for; empty when it is forged, expired, of a deactivated agent, or not ours. */
    public Optional<Caller> resolve(String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        if (Secrets.same(bootstrapToken, token)) {
            return Optional.of(Caller.bootstrap());
        }
        return tokens.verify(token).flatMap(claims -> switch (claims.scope()) {
            case CONVERSATION -> Optional.of(Caller.customer(claims.subject()));
            case AGENT -> statuses.allows(claims.subject(), claims.issuedAt())
                    ? Optional.of(Caller.agent(claims.subject(), claims.name(), accountRoles(claims.roles())))
                    : Optional.empty();
        });
    }
}
