package io.switchboard.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class CustomerTokensTest {

    static String[] keyPair() throws Exception {
        var pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        return new String[] { Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()),
                Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()) };
    }

    @Test
    void aTokenGrantsItsConversationOnly() throws Exception {
        String[] keys = keyPair();
        var signer = CustomerTokens.signer(keys[0], keys[1], Duration.ofHours(1));
        String token = signer.issue("c-1");

        var verifier = CustomerTokens.verifier(keys[1]);
        assertEquals(Optional.of("c-1"), verifier.verify(token));
        assertTrue(verifier.grants(token, "c-1"));
        assertFalse(verifier.grants(token, "c-2"));
    }

    @Test
    void forgedTamperedAndExpiredTokensAreRefused() throws Exception {
        String[] keys = keyPair();
        String[] otherKeys = keyPair();
        var verifier = CustomerTokens.verifier(keys[1]);

        String forged = CustomerTokens.signer(otherKeys[0], otherKeys[1], Duration.ofHours(1)).issue("c-1");
        assertEquals(Optional.empty(), verifier.verify(forged));

        String token = CustomerTokens.signer(keys[0], keys[1], Duration.ofHours(1)).issue("c-1");
        String[] parts = token.split("\\.");
        String otherClaims = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"iss\":\"switchboard\",\"sub\":\"c-2\",\"exp\":9999999999}".getBytes());
        assertEquals(Optional.empty(), verifier.verify(parts[0] + "." + otherClaims + "." + parts[2]));

        String expired = CustomerTokens.signer(keys[0], keys[1], Duration.ofSeconds(-10)).issue("c-1");
        assertEquals(Optional.empty(), verifier.verify(expired));

        assertEquals(Optional.empty(), verifier.verify("not-a-token"));
        assertEquals(Optional.empty(), verifier.verify(null));
    }

    @Test
    void aVerifiedTokenStillExpiresOnTime() throws Exception {
        String[] keys = keyPair();
        String token = CustomerTokens.signer(keys[0], keys[1], Duration.ofMinutes(5)).issue("c-1");
        var now = new java.util.concurrent.atomic.AtomicReference<>(java.time.Instant.now());
        var clock = new java.time.Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public java.time.Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public java.time.Instant instant() {
                return now.get();
            }
        };
        var verifier = CustomerTokens.verifier(keys[1], clock);
        assertEquals(Optional.of("c-1"), verifier.verify(token));
        assertEquals(Optional.of("c-1"), verifier.verify(token), "from the cache of verified tokens");
        now.set(now.get().plus(Duration.ofMinutes(6)));
        assertEquals(Optional.empty(), verifier.verify(token), "the cache does not outlive the token");
    }

    @Test
    void envelopesRoundTripAndPoisonIsRefused() {
        var data = Json.object().put("content", "hola");
        var envelope = Envelope.of("message_received", "chat-service", "c-1", Cause.NONE, data);
        var read = Json.readEnvelope(Json.write(envelope));
        assertEquals(envelope.id(), read.id());
        assertEquals("hola", read.text("content"));
        assertEquals(1, read.causeForFollowUp("w", "e").depth());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Json.readEnvelope("{not json"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Json.readEnvelope("{\"type\":\"x\"}"));
    }
}
