package io.switchboard.chat;

import static io.switchboard.chat.ChatTestSupport.AGENT;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.switchboard.testing.KafkaTestResource;
import io.switchboard.testing.PostgresTestResource;
import io.switchboard.testing.TestKeys;

/** Visitors whose site vouches for them with an identity token, and every way such a token can be wrong. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class IdentityTest {
    private static final String SECRET = TestKeys.IDENTITY_SECRET;

    static String sign(String algorithm, String secret, JwtClaims claims) throws Exception {
        var jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(algorithm);
        jws.setHeader("typ", "JWT");
        jws.setKey(new HmacKey(secret.getBytes(StandardCharsets.UTF_8)));
        jws.setDoKeyValidation(false);
        return jws.getCompactSerialization();
    }

    static JwtClaims claims(String subject, String firstName, int minutes) {
        var claims = new JwtClaims();
        claims.setSubject(subject);
        claims.setExpirationTimeMinutesInTheFuture(minutes);
        claims.setClaim("email", "ana@example.com");
        claims.setClaim("first_name", firstName);
        claims.setClaim("attributes", Map.of("plan", "premium", "seats", 12));
        return claims;
    }

    static io.restassured.response.ValidatableResponse start(String identityToken) {
        return given().contentType(ContentType.JSON).body(Map.of("channel", "web", "identity_token", identityToken))
                .post("/api/conversations").then();
    }

    long conversations() {
        return given().header("Authorization", AGENT).queryParam("size", 1).get("/api/conversations").then().statusCode(200)
                .extract().jsonPath().getLong("total");
    }

    @Test
    void aSignedVisitorIsAVerifiedContactFoundAgainByTheSitesUserId() throws Exception {
        String user = "site-user-" + UUID.randomUUID();
        var first = start(sign(AlgorithmIdentifiers.HMAC_SHA256, SECRET, claims(user, "Ana", 10))).statusCode(201)
                .body("verified", equalTo(true)).extract().jsonPath();
        String token = first.getString("customer_token");
        given().header("Authorization", "Bearer " + token).get("/api/conversations/{id}", first.getString("id")).then().statusCode(200);
        given().header("Authorization", AGENT).get("/api/conversations/{id}", first.getString("id")).then().statusCode(200)
                .body("contact.verified", equalTo(true)).body("contact.first_name", equalTo("Ana"))
                .body("contact.attributes.plan", equalTo("premium")).body("contact.attributes.seats", equalTo(12));

        // the same user again, under a newer name: the same contact, with the newer details
        var second = start(sign(AlgorithmIdentifiers.HMAC_SHA256, SECRET, claims(user, "Ana María", 10))).statusCode(201)
                .extract().jsonPath();
        assertEquals(first.getString("contact_id"), second.getString("contact_id"));
        given().header("Authorization", AGENT).get("/api/conversations/{id}", second.getString("id")).then()
                .body("contact.first_name", equalTo("Ana María"));
    }

    @Test
    void everyBrokenTokenIsA401NamingTheFieldAndCreatesNothing() throws Exception {
        long before = conversations();
        String user = "site-user-" + UUID.randomUUID();
        JwtClaims noExpiry = claims(user, "Ana", 10);
        noExpiry.unsetClaim("exp");
        JwtClaims noSubject = claims(user, "Ana", 10);
        noSubject.unsetClaim("sub");
        String unsigned = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes())
                + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(claims(user, "Ana", 10).toJson().getBytes()) + ".";
        Map<String, String> broken = Map.of(
                "another secret", sign(AlgorithmIdentifiers.HMAC_SHA256, "another-secret-0123456789abcdefghij", claims(user, "Ana", 10)),
                "expired", sign(AlgorithmIdentifiers.HMAC_SHA256, SECRET, claims(user, "Ana", -10)),
                "no exp", sign(AlgorithmIdentifiers.HMAC_SHA256, SECRET, noExpiry),
                "no sub", sign(AlgorithmIdentifiers.HMAC_SHA256, SECRET, noSubject),
                "HS512", sign(AlgorithmIdentifiers.HMAC_SHA512, SECRET + SECRET, claims(user, "Ana", 10)),
                "alg none", unsigned,
                "garbage", "not.a.token");
        broken.forEach((why, token) -> start(token).statusCode(401).body("field", equalTo("identity_token"))
                .body("error", containsString("identity_token")));
        assertEquals(before, conversations(), "nothing was created");
    }

    @Test
    void claimsAreBoundedLikeTheForm() throws Exception {
        JwtClaims claims = claims("site-user-" + UUID.randomUUID(), "x".repeat(201), 10);
        start(sign(AlgorithmIdentifiers.HMAC_SHA256, SECRET, claims)).statusCode(400).body("field", equalTo("identity_token.first_name"));
        JwtClaims attributes = claims("site-user-" + UUID.randomUUID(), "Ana", 10);
        attributes.setClaim("attributes", Map.of("role", Map.of("nested", true)));
        start(sign(AlgorithmIdentifiers.HMAC_SHA256, SECRET, attributes)).statusCode(400)
                .body("field", equalTo("identity_token.attributes.role"));
    }
}
