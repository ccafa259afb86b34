package io.switchboard.common.security;

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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;

import io.switchboard.contracts.Json;

/**
 * Switchboard's own tokens: compact JWTs signed with Ed25519 ({@code alg: EdDSA}). chat-service signs them with the
 * private key; every service verifies them with the public key alone, without a database call. Two scopes: a
 * customer token grants one conversation ({@code sub} = conversation id), an agent access token names an agent
 * ({@code sub} = agent id, {@code name}, {@code role}).
 */
public final class Tokens {
    public static final String ISSUER = "switchboard";
    private static final String HEADER = b64("{\"alg\":\"EdDSA\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    /** Bounds the cache of good signatures; cleared when full (only verified tokens get in, so forgeries cannot fill it). */
    private static final int VERIFIED_CACHE_LIMIT = 50_000;

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final Clock clock;
    /** An Ed25519 check costs more than the request it guards, and a client sends every request with the same token. */
    private final Map<String, TokenClaims> verified = new ConcurrentHashMap<>();

    private Tokens(PrivateKey privateKey, PublicKey publicKey, Clock clock) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.clock = clock;
    }

    /** A signer and verifier, from base64 DER keys (PKCS#8 private, X.509 public), as {@code openssl genpkey -algorithm ed25519} makes. */
    public static Tokens signer(String privateKeyBase64, String publicKeyBase64) {
        return new Tokens(privateKey(privateKeyBase64), publicKey(publicKeyBase64), Clock.systemUTC());
    }

    public static Tokens verifier(String publicKeyBase64) {
        return new Tokens(null, publicKey(publicKeyBase64), Clock.systemUTC());
    }

    static Tokens signer(String privateKeyBase64, String publicKeyBase64, Clock clock) {
        return new Tokens(privateKey(privateKeyBase64), publicKey(publicKeyBase64), clock);
    }

    static Tokens verifier(String publicKeyBase64, Clock clock) {
        return new Tokens(null, publicKey(publicKeyBase64), clock);
    }

    public String issueCustomer(String conversationId, Duration lifetime) {
        return issue(new TokenClaims(TokenClaims.Scope.CONVERSATION, conversationId, null, java.util.Set.of(), 0, 0), lifetime);
    }

    /** An agent's access token; its {@code roles} are what the account's role grants (an admin is an agent too). */
    public String issueAgent(String agentId, String name, String role, Duration lifetime) {
        return issue(new TokenClaims(TokenClaims.Scope.AGENT, agentId, name, Roles.granted(role), 0, 0), lifetime);
    }

    private String issue(TokenClaims claims, Duration lifetime) {
        if (privateKey == null) {
            throw new IllegalStateException("this instance only verifies tokens");
        }
        long now = clock.instant().getEpochSecond();
        var body = Json.object()
                .put("iss", ISSUER)
                .put("sub", claims.subject())
                .put("scope", claims.scope().wire())
                .put("iat", now)
                .put("exp", now + lifetime.toSeconds());
        if (claims.name() != null) {
            body.put("name", claims.name());
        }
        if (!claims.roles().isEmpty()) {
            claims.roles().stream().sorted().forEach(body.putArray("roles")::add);
        }
        String signingInput = HEADER + "." + b64(Json.write(body).getBytes(StandardCharsets.UTF_8));
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(privateKey);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + b64(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }

    /** The claims of a token signed with our key, not expired; empty when it is malformed, forged, expired or not ours. */
    public Optional<TokenClaims> verify(String token) {
        if (token == null) {
            return Optional.empty();
        }
        long now = clock.instant().getEpochSecond();
        TokenClaims known = verified.get(token);
        if (known != null) {
            return known.expiresAt() < now ? Optional.empty() : Optional.of(known);
        }
        String[] parts = token.split("\\.", -1);
        // the header must be exactly ours: no "alg: none", no HS256 keyed with the public key
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
            JsonNode body = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
            Optional<TokenClaims.Scope> scope = TokenClaims.Scope.of(body.path("scope").asText());
            String subject = body.path("sub").asText("");
            long expiresAt = body.path("exp").asLong();
            if (!ISSUER.equals(body.path("iss").asText()) || scope.isEmpty() || subject.isEmpty() || expiresAt < now) {
                return Optional.empty();
            }
            var roles = new java.util.TreeSet<String>();
            body.path("roles").forEach(role -> roles.add(role.asText()));
            var claims = new TokenClaims(scope.get(), subject, text(body, "name"), java.util.Set.copyOf(roles), body.path("iat").asLong(), expiresAt);
            if (verified.size() >= VERIFIED_CACHE_LIMIT) {
                verified.clear();
            }
            verified.put(token, claims);
            return Optional.of(claims);
        } catch (GeneralSecurityException | IllegalArgumentException | java.io.IOException e) {
            return Optional.empty();
        }
    }

    /** True when the token is a customer token for exactly this conversation. */
    public boolean grants(String token, String conversationId) {
        return verify(token).filter(c -> c.scope() == TokenClaims.Scope.CONVERSATION && c.subject().equals(conversationId)).isPresent();
    }

    private static String text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }

    private static PrivateKey privateKey(String base64) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(decodeKey(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("switchboard.token.private-key is not a base64 PKCS#8 Ed25519 key", e);
        }
    }

    private static PublicKey publicKey(String base64) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(decodeKey(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
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
