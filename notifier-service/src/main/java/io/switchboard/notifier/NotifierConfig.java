package io.switchboard.notifier;

import java.time.Duration;
import java.util.List;

import io.smallrye.config.ConfigMapping;

/** notifier-service settings; each reads from the {@code SWITCHBOARD_*} environment variable of the same name. */
@ConfigMapping(prefix = "switchboard")
public interface NotifierConfig {
    Ws ws();

    interface Ws {
        /**
         * Browser origins allowed to open sockets ({@code SWITCHBOARD_WS_ALLOWED_ORIGINS}, comma separated); {@code *}
         * allows any. A handshake without an Origin header (not a browser) is not an origin check's business.
         */
        List<String> allowedOrigins();

        /** Frames written to one client and not yet flushed to it; one more and it is closed with {@link Client#TOO_SLOW}. */
        int queueLimit();

        /** The same bound in bytes ({@code SWITCHBOARD_WS_QUEUE_BYTES}). */
        io.quarkus.runtime.configuration.MemorySize queueBytes();

        /**
         * A client with frames waiting and none flushed to it for this long is not reading: it is closed with
         * {@link Client#TOO_SLOW} ({@code SWITCHBOARD_WS_STALL_TIMEOUT}).
         */
        Duration stallTimeout();

        /** A client that sent nothing (not even a pong to our pings) for this long is closed with {@link Client#IDLE}. */
        Duration idleTimeout();

        /** Open sockets per customer token (per conversation) on one replica; the next handshake gets 429. */
        int maxConnectionsPerToken();

        /** Open sockets under the bootstrap admin token on one replica; the next handshake gets 429. */
        int maxAgentConnections();

        /** Open sockets per agent account on one replica ({@code SWITCHBOARD_WS_MAX_CONNECTIONS_PER_AGENT}). */
        int maxConnectionsPerAgent();

        /** Recent frames kept so that a client reconnecting with {@code ?last_event_id=} gets what it missed. */
        int replayBufferSize();

        /** One typing signal per socket and interval is passed on, the rest dropped ({@code SWITCHBOARD_WS_TYPING_INTERVAL}). */
        Duration typingInterval();

        /**
         * The replay buffer's bound in bytes of the frames' UTF-8 text ({@code SWITCHBOARD_WS_REPLAY_BUFFER_BYTES}): the
         * older frames go first. The buffer takes this much heap once it has filled, and keeps it.
         */
        io.quarkus.runtime.configuration.MemorySize replayBufferBytes();
    }
}
