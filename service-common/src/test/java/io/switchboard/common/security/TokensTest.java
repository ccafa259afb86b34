package io.switchboard.common.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

class TokensTest {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    static String[] keyPair() throws Exception {
        var pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        return new String[] { Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()),
                Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()) };
    }

    @Test
    void aCustomerTokenGrantsItsConversationOnly() throws Exception {
        String[] keys = keyPair();
        String token = Tokens.signer(keys[0], keys[1]).issueCustomer("c-1", Duration.ofHours(1));

        var verifier = Tokens.verifier(keys[1]);
        TokenClaims claims = verifier.verify(token).orElseThrow();
        assertEquals(TokenClaims.Scope.CONVERSATION, claims.scope());
        assertEquals("c-1", claims.subject());
        assertTrue(verifier.grants(token, "c-1"));
        assertFalse(verifier.grants(token, "c-2"));
    }

    @Test
    void anAgentTokenNamesTheAgentAndGrantsNoConversation() throws Exception {
        String[] keys = keyPair();
        String token = Tokens.signer(keys[0], keys[1]).issueAgent("a-1", "Sam", "admin", Duration.ofHours(12));

        var verifier = Tokens.verifier(keys[1]);
        TokenClaims claims = verifier.verify(token).orElseThrow();
        assertEquals(TokenClaims.Scope.AGENT, claims.scope());
        assertEquals("a-1", claims.subject());
        assertEquals("Sam", claims.name());
        assertEquals(java.util.Set.of("admin", "agent"), claims.roles());
        assertTrue(claims.expiresAt() - claims.issuedAt() == Duration.ofHours(12).toSeconds());
        assertFalse(verifier.grants(token, "a-1"), "an agent token is not a customer token for a conversation of that id");
    }

    @Test
    void forgedTamperedAndExpiredTokensAreRefused() throws Exception {
        String[] keys = keyPair();
        String[] otherKeys = keyPair();
        var verifier = Tokens.verifier(keys[1]);

        String forged = Tokens.signer(otherKeys[0], otherKeys[1]).issueAgent("a-1", "Sam", "admin", Duration.ofHours(1));
        assertEquals(Optional.empty(), verifier.verify(forged), "signed with another key");

        String token = Tokens.signer(keys[0], keys[1]).issueCustomer("c-1", Duration.ofHours(1));
        String[] parts = token.split("\\.");
        String otherClaims = b64("{\"iss\":\"switchboard\",\"scope\":\"agent\",\"sub\":\"a-1\",\"roles\":[\"admin\"],\"exp\":9999999999}");
        assertEquals(Optional.empty(), verifier.verify(parts[0] + "." + otherClaims + "." + parts[2]), "claims swapped");

        String none = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + otherClaims + ".";
        assertEquals(Optional.empty(), verifier.verify(none), "alg: none");

        // the classic confusion: HS256 with the public key as the HMAC secret
        String hsInput = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + otherClaims;
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(keys[1].getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String hs = hsInput + "." + B64.encodeToString(mac.doFinal(hsInput.getBytes(StandardCharsets.US_ASCII)));
        assertEquals(Optional.empty(), verifier.verify(hs), "HS256 keyed with the public key");

        String expired = Tokens.signer(keys[0], keys[1]).issueCustomer("c-1", Duration.ofSeconds(-10));
        assertEquals(Optional.empty(), verifier.verify(expired));

        assertEquals(Optional.empty(), verifier.verify("not-a-token"));
        assertEquals(Optional.empty(), verifier.verify(null));
    }

    @Test
    void aVerifiedTokenStillExpiresOnTime() throws Exception {
        String[] keys = keyPair();
        String token = Tokens.signer(keys[0], keys[1]).issueCustomer("c-1", Duration.ofMinutes(5));
        var now = new AtomicReference<>(Instant.now());
        var clock = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        var verifier = Tokens.verifier(keys[1], clock);
        assertTrue(verifier.verify(token).isPresent());
        assertTrue(verifier.verify(token).isPresent(), "from the cache of verified tokens");
        now.set(now.get().plus(Duration.ofMinutes(6)));
        assertEquals(Optional.empty(), verifier.verify(token), "the cache does not outlive the token");
    }

    private static String b64(String json) {
        return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
