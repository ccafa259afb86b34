package io.switchboard.notifier;

import java.time.Duration;
import java.util.List;

import io.smallrye.config.ConfigMapping;

/** notifier-service settings; each reads from the {@code SWITCHBOARD_*} environment variable of the same name. */
@ConfigMapping(prefix = "switchboard")
public interface NotifierConfig {
    /** The bearer token agents present ({@code SWITCHBOARD_AGENT_TOKEN}). */
    String agentToken();

    Token token();

    Ws ws();

    interface Token {
        /** Verifies customer tokens ({@code SWITCHBOARD_TOKEN_PUBLIC_KEY}); notifier-service cannot sign any. */
        String publicKey();
    }

    interface Ws {
        /**
         * Browser origins allowed to open sockets ({@code SWITCHBOARD_WS_ALLOWED_ORIGINS}, comma separated); {@code *}
         * allows any. A handshake without an Origin header (not a browser) is not an origin check's business.
         */
        List<String> allowedOrigins();

        /** Frames written to one client and not yet flushed to it; one more and it is closed with {@link Client#TOO_SLOW}. */
        int queueLimit();

        /** A client that sent nothing (not even a pong to our pings) for this long is closed with {@link Client#IDLE}. */
        Duration idleTimeout();

        /** Open sockets per customer token (per conversation) on one replica; the next handshake gets 429. */
        int maxConnectionsPerToken();

        /** Open inbox sockets under the shared agent token on one replica; the next handshake gets 429. */
        int maxAgentConnections();

        /** Recent frames kept so that a client reconnecting with {@code ?last_event_id=} gets what it missed. */
        int replayBufferSize();
    }
}
