package io.switchboard.notifier;

import io.smallrye.config.ConfigMapping;

/** notifier-service settings; each reads from the {@code SWITCHBOARD_*} environment variable of the same name. */
@ConfigMapping(prefix = "switchboard")
public interface NotifierConfig {
    /** The bearer token agents present ({@code SWITCHBOARD_AGENT_TOKEN}). */
    String agentToken();

    Token token();

    interface Token {
        /** Verifies customer tokens ({@code SWITCHBOARD_TOKEN_PUBLIC_KEY}); notifier-service cannot sign any. */
        String publicKey();
    }
}
