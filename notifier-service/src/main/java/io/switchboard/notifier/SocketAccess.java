package io.switchboard.notifier;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import io.switchboard.contracts.CustomerTokens;

/**
 * Checks the token before the WebSocket upgrade: {@code /ws/inbox} takes the agent token, {@code /ws/conversations/{id}}
 * a customer token for that conversation (or the agent token). Refused upgrades get 401 (no token) or 403.
 * The token comes as {@code ?token=} or as the {@code Sec-WebSocket-Protocol} header.
 */
@ApplicationScoped
public class SocketAccess implements HttpUpgradeCheck {
    private static final String CONVERSATIONS = "/ws/conversations/";

    private final byte[] agentToken;
    private final CustomerTokens tokens;

    SocketAccess(NotifierConfig config) {
        this.agentToken = config.agentToken().getBytes(StandardCharsets.UTF_8);
        this.tokens = CustomerTokens.verifier(config.token().publicKey());
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        var request = context.httpRequest();
        String token = request.getParam("token");
        if (token == null) {
            token = request.getHeader("Sec-WebSocket-Protocol");
        }
        if (token == null || token.isBlank()) {
            return CheckResult.rejectUpgrade(401);
        }
        boolean agent = MessageDigest.isEqual(agentToken, token.strip().getBytes(StandardCharsets.UTF_8));
        String path = request.path();
        if (path.startsWith(CONVERSATIONS)) {
            String conversationId = path.substring(CONVERSATIONS.length());
            return agent || tokens.grants(token.strip(), conversationId) ? CheckResult.permitUpgrade() : CheckResult.rejectUpgrade(403);
        }
        return agent ? CheckResult.permitUpgrade() : CheckResult.rejectUpgrade(403);
    }
}
