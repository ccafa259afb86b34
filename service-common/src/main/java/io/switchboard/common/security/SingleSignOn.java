package io.switchboard.common.security;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.Oidc;
import io.quarkus.oidc.OidcTenantConfig;
import io.quarkus.oidc.TenantIdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Bearer tokens of the company's own identity provider (Keycloak, Entra ID, Okta...), when
 * {@code SWITCHBOARD_OIDC_ISSUER} is set: quarkus-oidc checks them against the issuer's published keys, and the
 * roles claim says whether the user is an {@code admin} or an {@code agent} here. Deactivating such a user is the
 * identity provider's business.
 */
@ApplicationScoped
public class SingleSignOn {
    private static final Logger LOG = Logger.getLogger(SingleSignOn.class);

    private final SecurityConfig.SingleSignOn config;
    private final Instance<TenantIdentityProvider> provider;

    SingleSignOn(SecurityConfig config, Instance<TenantIdentityProvider> provider) {
        this.config = config.oidc();
        this.provider = provider;
    }

    /** Makes the issuer quarkus-oidc's default tenant at startup (bearer tokens only), or nothing when none is set. */
    void configure(@Observes Oidc oidc) {
        config.issuer().ifPresent(issuer -> {
            var tenant = OidcTenantConfig.authServerUrl(issuer)
                    .tenantEnabled(true)
                    .applicationType(io.quarkus.oidc.runtime.OidcTenantConfig.ApplicationType.SERVICE)
                    .roles().roleClaimPath(config.rolesClaim()).end();
            config.clientId().ifPresent(clientId -> tenant.clientId(clientId).token().audience(clientId).end());
            oidc.create(tenant.build());
            LOG.infof("single sign-on: bearer tokens of %s are accepted", issuer);
        });
    }

    boolean enabled() {
        return config.issuer().isPresent();
    }

    /** The agent an issuer's token stands for; empty when it is not the issuer's, or forged, or expired. */
    Uni<Optional<Caller>> resolve(String token) {
        return provider.get().authenticate(new AccessTokenCredential(token))
                .map(identity -> Optional.of(caller(identity)))
                .onFailure().recoverWithItem(Optional.empty());
    }

    private static Caller caller(SecurityIdentity identity) {
        String subject = identity.getPrincipal().getName();
        String name = subject;
        if (identity.getPrincipal() instanceof JsonWebToken jwt) {
            subject = jwt.getSubject();
            name = Optional.ofNullable(jwt.<String>getClaim("name")).orElse(subject);
        }
        // a user with neither role is someone the issuer knows, not one of our agents: every endpoint answers 403
        var roles = identity.hasRole(Roles.ADMIN) ? Roles.granted(Roles.ADMIN)
                : identity.hasRole(Roles.AGENT) ? Roles.granted(Roles.AGENT) : java.util.Set.<String>of();
        return Caller.agent("oidc:" + subject, name, roles);
    }
}
