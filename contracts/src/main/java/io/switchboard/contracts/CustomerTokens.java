package io.switchboard.contracts;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Customer tokens: compact JWTs signed with Ed25519 ({@code alg: EdDSA}) whose subject is the one conversation
 * they grant. chat-service signs with the private key; any service verifies with the public key alone, without
 * a database call, and cannot forge one.
 */
public final class CustomerTokens {
    public static final String ISSUER = "switchboard";
    private static final String HEADER = b64("{\"alg\":\"EdDSA\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final Duration lifetime;
    private final Clock clock;

    private CustomerTokens(PrivateKey privateKey, PublicKey publicKey, Duration lifetime, Clock clock) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /** A signer and verifier, from base64 DER keys (PKCS#8 private, X.509 public), as {@code openssl genpkey -algorithm ed25519} makes. */
    public static CustomerTokens signer(String privateKeyBase64, String publicKeyBase64, Duration lifetime) {
        return new CustomerTokens(privateKey(privateKeyBase64), publicKey(publicKeyBase64), lifetime, Clock.systemUTC());
    }

    public static CustomerTokens verifier(String publicKeyBase64) {
        return verifier(publicKeyBase64, Clock.systemUTC());
    }

    static CustomerTokens verifier(String publicKeyBase64, Clock clock) {
        return new CustomerTokens(null, publicKey(publicKeyBase64), Duration.ZERO, clock);
    }

    public String issue(String conversationId) {
        if (privateKey == null) {
            throw new IllegalStateException("this instance only verifies tokens");
        }
        long now = clock.instant().getEpochSecond();
        var claims = Json.object()
                .put("iss", ISSUER)
                .put("sub", conversationId)
                .put("scope", "conversation")
                .put("iat", now)
                .put("exp", now + lifetime.toSeconds());
        String signingInput = HEADER + "." + b64(Json.write(claims).getBytes(StandardCharsets.UTF_8));
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(privateKey);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + b64(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a customer token", e);
        }
    }

    /** A token whose signature checked out: its subject and expiry. */
    private record Verified(String subject, long expiresAt) {
    }

    /**
     * Tokens already verified. An Ed25519 check costs far more than the request it guards, and a widget sends every
     * message with the same token. Only good signatures are kept, so forged tokens cannot fill it; bounded by clearing.
     */
    private final java.util.Map<String, Verified> verified = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int VERIFIED_CACHE_LIMIT = 50_000;

    /** The conversation id the token grants, or empty when it is malformed, forged, expired or not ours. */
    public Optional<String> verify(String token) {
        if (token == null) {
            return Optional.empty();
        }
        Verified known = verified.get(token);
        if (known != null) {
            return known.expiresAt() < clock.instant().getEpochSecond() ? Optional.empty() : Optional.of(known.subject());
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || !HEADER.equals(parts[0])) {
            return Optional.empty();
        }
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initVerify(publicKey);
            signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!signature.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return Optional.empty();
            }
            JsonNode claims = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
            if (!ISSUER.equals(claims.path("iss").asText()) || claims.path("exp").asLong() < clock.instant().getEpochSecond()) {
                return Optional.empty();
            }
            String subject = claims.path("sub").asText("");
            if (subject.isEmpty()) {
                return Optional.empty();
            }
            if (verified.size() >= VERIFIED_CACHE_LIMIT) {
                verified.clear();
            }
            verified.put(token, new Verified(subject, claims.path("exp").asLong()));
            return Optional.of(subject);
        } catch (GeneralSecurityException | IllegalArgumentException | java.io.IOException e) {
            return Optional.empty();
        }
    }

    /** True when the token grants exactly this conversation. */
    public boolean grants(String token, String conversationId) {
        return verify(token).filter(conversationId::equals).isPresent();
    }

    private static PrivateKey privateKey(String base64) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(decodeKey(base64)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("switchboard.token.private-key is not a base64 PKCS#8 Ed25519 key", e);
        }
    }

    private static PublicKey publicKey(String base64) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(decodeKey(base64)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("switchboard.token.public-key is not a base64 X.509 Ed25519 key", e);
        }
    }

    private static byte[] decodeKey(String base64) {
        return Base64.getMimeDecoder().decode(base64.replaceAll("-----[A-Z ]+-----", "").strip());
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
