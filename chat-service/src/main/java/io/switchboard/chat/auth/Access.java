package io.switchboard.chat.auth;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.switchboard.chat.ChatConfig;
import io.switchboard.common.api.AgentAuth;
import io.switchboard.common.api.ApiException;
import io.switchboard.contracts.CustomerTokens;

/** Resolves bearer tokens: the agent token, or a customer token that grants one conversation. */
@ApplicationScoped
public class Access {
    private final String agentToken;
    private final CustomerTokens tokens;

    Access(ChatConfig config) {
        this.agentToken = config.agentToken();
        this.tokens = CustomerTokens.signer(config.token().privateKey(), config.token().publicKey(), config.token().lifetime());
    }

    public String issueCustomerToken(UUID conversationId) {
        return tokens.issue(conversationId.toString());
    }

    /** The caller, or 401 when the header is missing or the token is neither the agent's nor a valid customer token. */
    public Caller caller(String authorization) {
        String token = AgentAuth.bearer(authorization);
        if (AgentAuth.isAgentToken(agentToken, token)) {
            return new Caller(Caller.Kind.AGENT, null);
        }
        return tokens.verify(token)
                .map(sub -> new Caller(Caller.Kind.CUSTOMER, UUID.fromString(sub)))
                .orElseThrow(() -> ApiException.unauthorized("invalid or expired token"));
    }

    /** An agent or the customer of this conversation; 403 for another conversation's customer. */
    public Caller forConversation(String authorization, UUID conversationId) {
        Caller caller = caller(authorization);
        if (!caller.isAgent() && !conversationId.equals(caller.conversationId())) {
            throw ApiException.forbidden("this token does not grant conversation " + conversationId);
        }
        return caller;
    }

    public void requireAgent(String authorization) {
        if (!caller(authorization).isAgent()) {
            throw ApiException.forbidden("agents only");
        }
    }
}
