package io.switchboard.testing;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.switchboard.contracts.Json;

/**
 * A local OpenID Connect provider, as far as bearer tokens need one: discovery ({@code /.well-known/openid-configuration})
 * and the signing keys ({@code /jwks}), with RS256 tokens it mints for tests, the way a real issuer (Keycloak, Entra
 * ID, Okta) signs its access tokens.
 */
public final class OidcStub implements AutoCloseable {
    public static final String CLIENT_ID = "switchboard";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final String KEY_ID = "stub-key-1";

    private final HttpServer server;
    private final KeyPair keys;
    private final String issuer;

    private OidcStub(HttpServer server, KeyPair keys) {
        this.server = server;
        this.keys = keys;
        this.issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/support";
    }

    public static OidcStub start() {
        KeyPair keys = rsa();
        OidcStub[] self = new OidcStub[1];
        HttpServer server = LocalHttp.serve("/", exchange -> self[0].handle(exchange));
        self[0] = new OidcStub(server, keys);
        return self[0];
    }

    public String issuer() {
        return issuer;
    }

    /** An access token of this issuer for a user with these roles (in the {@code roles} claim). */
    public String token(String subject, String name, List<String> roles, Duration lifetime) {
        return sign(keys, subject, name, roles, lifetime);
    }

    /** The same token, signed by a key this issuer never published: what a forger would send. */
    public String forged(String subject, String name, List<String> roles) {
        return sign(rsa(), subject, name, roles, Duration.ofHours(1));
    }

    private String sign(KeyPair with, String subject, String name, List<String> roles, Duration lifetime) {
        long now = Instant.now().getEpochSecond();
        var header = Json.object().put("alg", "RS256").put("typ", "JWT").put("kid", KEY_ID);
        var claims = Json.object().put("iss", issuer).put("sub", subject).put("aud", CLIENT_ID).put("azp", CLIENT_ID)
                .put("name", name).put("iat", now).put("exp", now + lifetime.toSeconds());
        roles.forEach(claims.putArray("roles")::add);
        String input = B64.encodeToString(Json.write(header).getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(Json.write(claims).getBytes(StandardCharsets.UTF_8));
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(with.getPrivate());
            signature.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + B64.encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private void handle(HttpExchange exchange) throws java.io.IOException {
        String path = exchange.getRequestURI().getPath();
        String body;
        if (path.endsWith("/.well-known/openid-configuration")) {
            body = Json.write(Json.object().put("issuer", issuer).put("jwks_uri", issuer + "/jwks")
                    .put("token_endpoint", issuer + "/token").put("authorization_endpoint", issuer + "/auth"));
        } else if (path.endsWith("/jwks")) {
            RSAPublicKey key = (RSAPublicKey) keys.getPublic();
            var jwks = Json.object();
            jwks.putArray("keys").addObject().put("kty", "RSA").put("use", "sig").put("alg", "RS256").put("kid", KEY_ID)
                    .put("n", unsigned(key.getModulus())).put("e", unsigned(key.getPublicExponent()));
            body = Json.write(jwks);
        } else {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return B64.encodeToString(bytes);
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
