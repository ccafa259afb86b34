package io.switchboard.chat.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.switchboard.chat.ChatConfig;
import io.switchboard.chat.api.ApiException;
import io.switchboard.contracts.CustomerTokens;

/** Resolves bearer tokens: the agent token, or a customer token that grants one conversation. */
@ApplicationScoped
public class Access {
    private final byte[] agentToken;
    private final CustomerTokens tokens;

    Access(ChatConfig config) {
        this.agentToken = config.agentToken().getBytes(StandardCharsets.UTF_8);
        this.tokens = CustomerTokens.signer(config.token().privateKey(), config.token().publicKey(), config.token().lifetime());
    }

    public String issueCustomerToken(UUID conversationId) {
        return tokens.issue(conversationId.toString());
    }

    /** The caller, or 401 when the header is missing or the token is neither the agent's nor a valid customer token. */
    public Caller caller(String authorization) {
        String token = bearer(authorization);
        if (MessageDigest.isEqual(agentToken, token.getBytes(StandardCharsets.UTF_8))) {
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

    private static String bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7) || authorization.length() <= 7) {
            throw ApiException.unauthorized("missing bearer token (Authorization: Bearer ...)");
        }
        return authorization.substring(7).strip();
    }
}
