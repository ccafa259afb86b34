package io.switchboard.common.security;

import io.smallrye.config.ConfigMapping;

/** What every service needs to tell who is calling (the same {@code switchboard.*} settings in each). */
@ConfigMapping(prefix = "switchboard")
public interface SecurityConfig {
    /** The bootstrap admin API token ({@code SWITCHBOARD_AGENT_TOKEN}). */
    String agentToken();

    Token token();

    interface Token {
        /** Verifies customer and agent tokens ({@code SWITCHBOARD_TOKEN_PUBLIC_KEY}). */
        String publicKey();
    }
}
