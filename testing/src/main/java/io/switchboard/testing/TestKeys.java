package io.switchboard.testing;

import java.time.Duration;
import java.util.UUID;

import io.switchboard.common.security.Tokens;

/**
 * The key pair and bootstrap token of the services' {@code %test} profile (never used outside tests), and tokens
 * signed with it as chat-service signs them.
 */
public final class TestKeys {
    public static final String PRIVATE_KEY = "MC4CAQAwBQYDK2VwBCIEIMAJTsML8d3HAUsGXnyXVjOJxeBzL6f9xzJKp/urF/hz";
    public static final String PUBLIC_KEY = "MCowBQYDK2VwAyEAYeoLV2+E1Uk6I1jliLDaw7l6nQTuHIedM/eeIzHe9XE=";
    public static final String BOOTSTRAP_TOKEN = "dev-agent-token";
    private static final Tokens TOKENS = Tokens.signer(PRIVATE_KEY, PUBLIC_KEY);

    private TestKeys() {
    }

    public static String customerToken(String conversationId) {
        return TOKENS.issueCustomer(conversationId, Duration.ofHours(1));
    }

    /** An access token for an agent account that chat-service never saw: valid everywhere until it is deactivated. */
    public static String agentToken(String name, String role) {
        return TOKENS.issueAgent(UUID.randomUUID().toString(), name, role, Duration.ofHours(1));
    }

    public static String agentToken(String agentId, String name, String role, Duration lifetime) {
        return TOKENS.issueAgent(agentId, name, role, lifetime);
    }
}
