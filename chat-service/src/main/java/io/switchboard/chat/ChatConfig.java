package io.switchboard.chat;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** chat-service settings; each reads from the {@code SWITCHBOARD_*} environment variable of the same name. */
@ConfigMapping(prefix = "switchboard")
public interface ChatConfig {

    /** The bearer token agents present ({@code SWITCHBOARD_AGENT_TOKEN}). */
    String agentToken();

    Token token();

    /** Longest message content accepted, in characters: Telegram's limit. */
    @WithDefault("4096")
    int maxContentLength();

    OutboxSettings outbox();

    interface OutboxSettings {
        /** How often the relay looks for rows that no after-commit wake-up published (crash, broker down). */
        @WithDefault("1s")
        Duration pollInterval();
    }

    interface Token {
        /** Base64 PKCS#8 Ed25519 private key that signs customer tokens ({@code SWITCHBOARD_TOKEN_PRIVATE_KEY}). */
        String privateKey();

        /** Base64 X.509 Ed25519 public key that verifies them ({@code SWITCHBOARD_TOKEN_PUBLIC_KEY}). */
        String publicKey();

        @WithDefault("P30D")
        Duration lifetime();
    }

}
