package io.switchboard.chat.domain;

import java.time.Duration;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.switchboard.chat.ChatConfig;
import io.switchboard.common.security.Tokens;

/** Signs the tokens chat-service hands out: a customer's for their conversation, an agent's at sign-in. */
@ApplicationScoped
public class TokenIssuer {
    private final Tokens tokens;
    private final Duration customerLifetime;

    TokenIssuer(ChatConfig config) {
        this.tokens = Tokens.signer(config.token().privateKey(), config.token().publicKey());
        this.customerLifetime = config.token().lifetime();
    }

    public String issueCustomer(UUID conversationId) {
        return tokens.issueCustomer(conversationId.toString(), customerLifetime);
    }

    public String issueAgent(UUID agentId, String name, String role, Duration lifetime) {
        return tokens.issueAgent(agentId.toString(), name, role, lifetime);
    }
}
