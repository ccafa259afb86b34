package io.switchboard.common.security;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What every service needs to tell who is calling (the same {@code switchboard.*} settings in each). */
@ConfigMapping(prefix = "switchboard")
public interface SecurityConfig {
    /** The bootstrap admin API token ({@code SWITCHBOARD_AGENT_TOKEN}). */
    String agentToken();

    Token token();

    SingleSignOn oidc();

    interface Token {
        /** Verifies customer and agent tokens ({@code SWITCHBOARD_TOKEN_PUBLIC_KEY}). */
        String publicKey();
    }

    /** Optional single sign-on: agents' bearer tokens from an OpenID Connect issuer. */
    interface SingleSignOn {
        /** The issuer's URL ({@code SWITCHBOARD_OIDC_ISSUER}); unset: no single sign-on. */
        Optional<String> issuer();

        /** This application's client id at the issuer ({@code SWITCHBOARD_OIDC_CLIENT_ID}): tokens must be for it. */
        Optional<String> clientId();

        /** The claim that holds the user's roles, {@code admin} or {@code agent} ({@code SWITCHBOARD_OIDC_ROLES_CLAIM}). */
        @WithDefault("roles")
        String rolesClaim();
    }
}
