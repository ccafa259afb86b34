package io.switchboard.notifier.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.switchboard.common.security.BearerTokens;
import io.switchboard.common.security.Caller;
import io.switchboard.notifier.domain.Clients;
import io.switchboard.notifier.NotifierConfig;

/**
 * Checks a handshake before the WebSocket upgrade: the origin against the allow-list (403), then the token, resolved
 * as on every HTTP API ({@link BearerTokens}): {@code /ws/inbox} takes an agent's access token or the bootstrap
 * token, {@code /ws/conversations/{id}} a customer token for that conversation (or an agent's); no token is 401, a
 * wrong one 403. Sockets are capped per identity on one replica (per agent, per conversation for customers, the
 * bootstrap token on its own): one more is 429. The token comes only in {@code Sec-WebSocket-Protocol}, next to
 * {@link #SUBPROTOCOL}, so that it never lands in a URL or an access log.
 */
@ApplicationScoped
public class SocketAccess implements HttpUpgradeCheck {
    /** The subprotocol the server answers with when the token travels in {@code Sec-WebSocket-Protocol}. */
    public static final String SUBPROTOCOL = "switchboard.v1";
    private static final String CONVERSATIONS = "/ws/conversations/";
    private static final UserData.TypedKey<String> LIMIT_KEY = UserData.TypedKey.forString("switchboard.limit-key");
    private static final UserData.TypedKey<Integer> LIMIT = UserData.TypedKey.forInt("switchboard.limit");
    private static final UserData.TypedKey<String> NAME = UserData.TypedKey.forString("switchboard.name");

    private final BearerTokens tokens;
    private final List<String> allowedOrigins;
    private final NotifierConfig.Ws limits;
    private final Clients clients;

    SocketAccess(NotifierConfig config, BearerTokens tokens, Clients clients) {
        this.tokens = tokens;
        this.allowedOrigins = config.ws().allowedOrigins().stream().map(String::strip).toList();
        this.limits = config.ws();
        this.clients = clients;
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        var request = context.httpRequest();
        String origin = request.getHeader("Origin");
        if (origin != null && !allowedOrigins.contains("*") && !allowedOrigins.contains(origin)) {
            return CheckResult.rejectUpgrade(403);
        }
        // only from the header: a token in the URL would land in access logs, proxies' logs and browser history
        String token = fromSubprotocols(request.getHeader("Sec-WebSocket-Protocol"));
        if (token == null || token.isBlank()) {
            return CheckResult.rejectUpgrade(401);
        }
        String path = request.path();
        return tokens.resolveAsync(token.strip()).map(caller -> decide(caller.orElse(null), path, context));
    }

    private CheckResult decide(Caller caller, String path, HttpUpgradeContext context) {
        boolean allowed = caller != null && (path.startsWith(CONVERSATIONS)
                ? caller.mayAccess(conversation(path.substring(CONVERSATIONS.length())))
                : caller.isAgent());
        if (!allowed) {
            return CheckResult.rejectUpgradeSync(403);
        }
        int limit = switch (caller.kind()) {
            case BOOTSTRAP -> limits.maxAgentConnections();
            case AGENT -> limits.maxConnectionsPerAgent();
            // a customer token grants one conversation: the cap is per conversation, whichever token it came with
            case CUSTOMER -> limits.maxConnectionsPerToken();
        };
        if (clients.openFor(caller.limitKey()) >= limit) {
            return CheckResult.rejectUpgradeSync(429);
        }
        context.userData().put(LIMIT_KEY, caller.limitKey());
        context.userData().put(LIMIT, limit);
        if (caller.name() != null) {
            context.userData().put(NAME, caller.name());
        }
        return CheckResult.permitUpgradeSync();
    }

    private static java.util.UUID conversation(String id) {
        try {
            return java.util.UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return new java.util.UUID(0, 0);
        }
    }

    /** The token offered as a subprotocol: {@code Sec-WebSocket-Protocol: switchboard.v1, <token>}. */
    static String fromSubprotocols(String header) {
        if (header == null) {
            return null;
        }
        for (String offered : header.split(",")) {
            String value = offered.strip();
            if (!value.isEmpty() && !value.equals(SUBPROTOCOL)) {
                return value;
            }
        }
        return null;
    }

    /** Whose sockets this one counts among (an agent, a conversation, the bootstrap token). */
    static String limitKey(WebSocketConnection connection) {
        return connection.userData().get(LIMIT_KEY);
    }

    /** The agent's name (shown to a customer when the agent types), or null. */
    static String name(WebSocketConnection connection) {
        return connection.userData().get(NAME);
    }

    /** How many sockets that identity may hold on this replica. */
    static int limit(WebSocketConnection connection) {
        return connection.userData().get(LIMIT);
    }

    /** The {@code last_event_id} query parameter of a handshake, or null. */
    static String lastEventId(String query) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("last_event_id=")) {
                return URLDecoder.decode(pair.substring("last_event_id=".length()), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
