package io.switchboard.notifier;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.switchboard.contracts.CustomerTokens;

/**
 * Checks a handshake before the WebSocket upgrade: the origin against the allow-list (403), then the token:
 * {@code /ws/inbox} takes the agent token, {@code /ws/conversations/{id}} a customer token for that conversation (or
 * the agent token); no token is 401, a wrong one 403; a token already holding its share of sockets is 429.
 * The token comes as {@code ?token=} or in {@code Sec-WebSocket-Protocol} next to {@link #SUBPROTOCOL}, for
 * browsers that would rather not put it in the URL.
 */
@ApplicationScoped
public class SocketAccess implements HttpUpgradeCheck {
    /** The subprotocol the server answers with when the token travels in {@code Sec-WebSocket-Protocol}. */
    public static final String SUBPROTOCOL = "switchboard.v1";
    private static final String CONVERSATIONS = "/ws/conversations/";
    private static final UserData.TypedKey<String> TOKEN_KEY = UserData.TypedKey.forString("switchboard.token-key");
    private static final String AGENT_KEY = "agent";

    private final byte[] agentToken;
    private final CustomerTokens tokens;
    private final List<String> allowedOrigins;
    private final int maxPerToken;
    private final int maxInbox;
    private final Clients clients;

    SocketAccess(NotifierConfig config, Clients clients) {
        this.agentToken = config.agentToken().getBytes(StandardCharsets.UTF_8);
        this.tokens = CustomerTokens.verifier(config.token().publicKey());
        this.allowedOrigins = config.ws().allowedOrigins().stream().map(String::strip).toList();
        this.maxPerToken = config.ws().maxConnectionsPerToken();
        this.maxInbox = config.ws().maxAgentConnections();
        this.clients = clients;
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        var request = context.httpRequest();
        String origin = request.getHeader("Origin");
        if (origin != null && !allowedOrigins.contains("*") && !allowedOrigins.contains(origin)) {
            return CheckResult.rejectUpgrade(403);
        }
        String token = request.getParam("token");
        if (token == null) {
            token = fromSubprotocols(request.getHeader("Sec-WebSocket-Protocol"));
        }
        if (token == null || token.isBlank()) {
            return CheckResult.rejectUpgrade(401);
        }
        token = token.strip();
        boolean agent = MessageDigest.isEqual(agentToken, token.getBytes(StandardCharsets.UTF_8));
        String path = request.path();
        String key;
        if (agent) {
            key = AGENT_KEY;
        } else if (path.startsWith(CONVERSATIONS) && tokens.grants(token, path.substring(CONVERSATIONS.length()))) {
            // a customer token grants one conversation: the cap is per conversation, whichever token it came with
            key = "customer:" + path.substring(CONVERSATIONS.length());
        } else {
            return CheckResult.rejectUpgrade(403);
        }
        if (clients.openFor(key) >= (agent ? maxInbox : maxPerToken)) {
            return CheckResult.rejectUpgrade(429);
        }
        context.userData().put(TOKEN_KEY, key);
        return CheckResult.permitUpgrade();
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

    static String tokenKey(WebSocketConnection connection) {
        return connection.userData().get(TOKEN_KEY);
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
