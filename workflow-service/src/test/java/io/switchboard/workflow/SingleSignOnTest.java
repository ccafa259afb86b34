package io.switchboard.workflow;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.switchboard.testing.KafkaTestResource;
import io.switchboard.testing.OidcStub;
import io.switchboard.testing.OidcStubResource;
import io.switchboard.testing.PostgresTestResource;

/** Single sign-on: the identity provider's tokens count as agents' by the roles they carry, checked against its keys. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(OidcStubResource.class)
class SingleSignOnTest {

    @Test
    void theIssuersTokensAreAgentsByTheirRoles() {
        OidcStub issuer = OidcStubResource.stub();
        String admin = "Bearer " + issuer.token("u-1", "Ines Admin", List.of("admin"), Duration.ofMinutes(5));
        String agent = "Bearer " + issuer.token("u-2", "Ari Agent", List.of("agent"), Duration.ofMinutes(5));
        String stranger = "Bearer " + issuer.token("u-3", "Sol Stranger", List.of("billing"), Duration.ofMinutes(5));

        String id = given().header("Authorization", admin).contentType(ContentType.JSON).body(SeedWorkflows.HUMAN_HANDOFF)
                .post("/api/workflows").then().statusCode(201).extract().path("id");
        given().header("Authorization", agent).get("/api/workflows/{id}", id).then().statusCode(200).body("id", equalTo(id));
        given().header("Authorization", agent).delete("/api/workflows/{id}", id).then().statusCode(403);
        given().header("Authorization", stranger).get("/api/workflows").then().statusCode(403);

        // the issuer never signed these: refused like any forged token
        given().header("Authorization", "Bearer " + issuer.forged("u-1", "Ines Admin", List.of("admin"))).get("/api/workflows").then()
                .statusCode(401).body("error", equalTo("invalid or expired token"));
        given().header("Authorization", "Bearer " + issuer.token("u-1", "Ines Admin", List.of("admin"), Duration.ofMinutes(-10)))
                .get("/api/workflows").then().statusCode(401);
        // our own tokens still work beside the issuer's
        given().header("Authorization", WorkflowApiTest.AGENT).delete("/api/workflows/{id}", id).then().statusCode(204);
    }
}
