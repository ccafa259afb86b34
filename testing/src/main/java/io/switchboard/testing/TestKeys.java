package io.switchboard.testing;

import java.time.Duration;
import java.util.UUID;

import io.switchboard.common.security.DevelopmentSecrets;
import io.switchboard.common.security.Tokens;

/**
 * The key pair and bootstrap token of the services' {@code %test} profile (never used outside tests), and tokens
 * signed with it as chat-service signs them.
 */
public final class TestKeys {
    public static final String PRIVATE_KEY = DevelopmentSecrets.PRIVATE_KEY;
    public static final String PUBLIC_KEY = DevelopmentSecrets.PUBLIC_KEY;
    public static final String BOOTSTRAP_TOKEN = DevelopmentSecrets.AGENT_TOKEN;
    /** The secret a site signs its visitors' identity tokens with ({@code SWITCHBOARD_IDENTITY_SECRET}). */
    public static final String IDENTITY_SECRET = "test-identity-secret-0123456789abcdef";
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

    /** An identity token as a site's backend signs one for its visitor (HS256 with {@link #IDENTITY_SECRET}). */
    public static String identityToken(String subject, String firstName, java.util.Map<String, Object> attributes) {
        var claims = new org.jose4j.jwt.JwtClaims();
        claims.setSubject(subject);
        claims.setExpirationTimeMinutesInTheFuture(10);
        claims.setClaim("first_name", firstName);
        claims.setClaim("attributes", attributes);
        var jws = new org.jose4j.jws.JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(org.jose4j.jws.AlgorithmIdentifiers.HMAC_SHA256);
        jws.setHeader("typ", "JWT");
        jws.setKey(new org.jose4j.keys.HmacKey(IDENTITY_SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        try {
            return jws.getCompactSerialization();
        } catch (org.jose4j.lang.JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
