package io.switchboard.chat.agent;

import static io.switchboard.chat.ChatTestSupport.AGENT;
import static io.restassured.RestAssured.given;
import static io.switchboard.chat.ChatTestSupport.startConversation;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.EventType;
import io.switchboard.contracts.Topics;
import io.switchboard.testing.KafkaTestResource;
import io.switchboard.testing.PostgresTestResource;
import io.switchboard.testing.TestKeys;
import io.switchboard.testing.TopicProbe;

@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
public class AgentApiTest {
    private static final String PASSWORD = "correct horse battery";
    private static TopicProbe events;

    @BeforeAll
    static void probe() {
        events = TopicProbe.of(Topics.CHAT_EVENTS);
    }

    @AfterAll
    static void close() {
        events.close();
    }

    public static String email(String name) {
        return name + "-" + System.nanoTime() + "@example.com";
    }

    /** Each test signs in from an address of its own, so the throttle of one never blocks another. */
    static RequestSpecification from(String address) {
        return given().contentType(ContentType.JSON).header("X-Forwarded-For", address);
    }

    public static String create(String email, String name, String role) {
        return given().header("Authorization", AGENT).contentType(ContentType.JSON)
                .body(Map.of("email", email, "name", name, "role", role, "password", PASSWORD))
                .post("/api/agents").then().statusCode(201)
                .body("email", equalTo(email)).body("name", equalTo(name)).body("role", equalTo(role)).body("active", equalTo(true))
                .body("$", not(org.hamcrest.Matchers.hasKey("password"))).body("$", not(org.hamcrest.Matchers.hasKey("password_hash")))
                .extract().path("id");
    }

    public static String signIn(String email, String address) {
        return from(address).body(Map.of("email", email, "password", PASSWORD)).post("/api/auth/login").then().statusCode(200)
                .body("token_type", equalTo("Bearer")).body("expires_in", equalTo(12 * 3600))
                .extract().path("access_token");
    }

    @Test
    void anAdminCreatesAgentsWhoSignInAndAnswerUnderTheirName() {
        String email = email("sam");
        String id = create(email, "Sam", "agent");
        String token = signIn(email, "203.0.113.1");

        given().header("Authorization", "Bearer " + token).get("/api/auth/me").then().statusCode(200)
                .body("id", equalTo(id)).body("name", equalTo("Sam")).body("role", equalTo("agent"));
        given().header("Authorization", AGENT).get("/api/agents").then().statusCode(200)
                .body("id", hasItem(id)).body("password_hash", org.hamcrest.Matchers.everyItem(nullValue()));

        var started = startConversation("Ana", null);
        given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON).body(Map.of("content", "Hi, Sam here"))
                .post("/api/conversations/{id}/messages", started.id()).then().statusCode(201)
                .body("sender_type", equalTo("agent")).body("sender_id", equalTo(id)).body("sender_name", equalTo("Sam"));
        given().header("Authorization", started.bearer()).get("/api/conversations/{id}/messages", started.id()).then()
                .statusCode(200).body("items.sender_name", hasItem("Sam"));
        Envelope created = events.awaitEnvelopes(started.id(), 3, Duration.ofSeconds(15)).stream()
                .filter(e -> e.is(EventType.MESSAGE_CREATED)).findFirst().orElseThrow();
        assertEquals("Sam", created.data().path("message").path("sender_name").asText());
        assertEquals(id, created.data().path("message").path("sender_id").asText());
    }

    @Test
    void badInputNamesTheFieldAndChangesNothing() {
        String email = email("dup");
        create(email, "Dup", "agent");
        var admin = given().header("Authorization", AGENT).contentType(ContentType.JSON);
        admin.body(Map.of("email", email.toUpperCase(), "name", "Dup", "role", "agent", "password", PASSWORD))
                .post("/api/agents").then().statusCode(409).body("field", equalTo("email"));
        given().header("Authorization", AGENT).contentType(ContentType.JSON)
                .body(Map.of("email", email("short"), "name", "Short", "role", "agent", "password", "too-short"))
                .post("/api/agents").then().statusCode(400).body("field", equalTo("password"));
        given().header("Authorization", AGENT).contentType(ContentType.JSON)
                .body(Map.of("email", email("role"), "name", "Role", "role", "owner", "password", PASSWORD))
                .post("/api/agents").then().statusCode(400).body("field", equalTo("role"));
        given().header("Authorization", AGENT).contentType(ContentType.JSON)
                .body(Map.of("email", "a".repeat(300) + "@x", "name", "Mail", "role", "agent", "password", PASSWORD))
                .post("/api/agents").then().statusCode(400).body("field", equalTo("email"));
        given().header("Authorization", AGENT).contentType(ContentType.JSON)
                .body(Map.of("email", email("long"), "name", "Long", "role", "agent", "password", "p".repeat(73)))
                .post("/api/agents").then().statusCode(400).body("field", equalTo("password"));
    }

    @Test
    void onlyAdminsManageAgents() {
        String agentEmail = email("plain");
        create(agentEmail, "Plain", "agent");
        String agentToken = signIn(agentEmail, "203.0.113.2");
        var body = Map.of("email", email("x"), "name", "X", "role", "admin", "password", PASSWORD);
        given().contentType(ContentType.JSON).body(body).post("/api/agents").then().statusCode(401).body("error", containsString("Bearer"));
        given().header("Authorization", "Bearer " + agentToken).contentType(ContentType.JSON).body(body).post("/api/agents").then()
                .statusCode(403);
        given().header("Authorization", "Bearer " + agentToken).get("/api/agents").then().statusCode(403);
        given().header("Authorization", "Bearer " + agentToken).get("/api/agents/assignable").then().statusCode(200)
                .body("name", hasItem("Plain")).body("email", org.hamcrest.Matchers.everyItem(nullValue()));
        var customer = startConversation("Eve", null);
        given().header("Authorization", customer.bearer()).contentType(ContentType.JSON).body(body).post("/api/agents").then().statusCode(403);
        given().header("Authorization", "Bearer forged.token.here").get("/api/agents").then().statusCode(401)
                .body("error", equalTo("invalid or expired token"));
        String expired = TestKeys.agentToken(java.util.UUID.randomUUID().toString(), "Old", "admin", Duration.ofSeconds(-5));
        given().header("Authorization", "Bearer " + expired).get("/api/agents").then().statusCode(401);

        String adminEmail = email("boss");
        create(adminEmail, "Boss", "admin");
        String adminToken = signIn(adminEmail, "203.0.113.2");
        given().header("Authorization", "Bearer " + adminToken).get("/api/agents").then().statusCode(200);
    }

    @Test
    void wrongPasswordAndUnknownEmailLookAlikeAndTenFailuresLockTheEmail() {
        String email = email("locked");
        create(email, "Locked", "agent");
        String address = "203.0.113.3";
        String unknown = from(address).body(Map.of("email", email("nobody"), "password", PASSWORD)).post("/api/auth/login").then()
                .statusCode(401).extract().path("error");
        for (int i = 0; i < 10; i++) {
            // each failure from another address: this is the per-email lock
            String wrong = from("198.51.100." + (i + 1)).body(Map.of("email", email, "password", "wrong password " + i))
                    .post("/api/auth/login").then().statusCode(401).extract().path("error");
            assertEquals(unknown, wrong, "unknown email and wrong password get the same answer");
        }
        from("198.51.100.50").body(Map.of("email", email, "password", PASSWORD)).post("/api/auth/login").then()
                .statusCode(429).body("error", containsString("15 minutes"));
        from(address).body(Map.of("email", "", "password", PASSWORD)).post("/api/auth/login").then()
                .statusCode(400).body("field", equalTo("email"));
    }

    @Test
    void tenFailuresFromOneAddressLockThatAddress() {
        String email = email("victim");
        create(email, "Victim", "agent");
        String address = "203.0.113.4";
        for (int i = 0; i < 10; i++) {
            from(address).body(Map.of("email", email("guess" + i), "password", "wrong password")).post("/api/auth/login").then()
                    .statusCode(401);
        }
        from(address).body(Map.of("email", email, "password", PASSWORD)).post("/api/auth/login").then().statusCode(429);
        signIn(email, "203.0.113.5");
    }

    @Test
    void aDeactivatedAgentsTokensStopWorkingAndTheyCannotSignIn() {
        String email = email("leaver");
        String id = create(email, "Leaver", "agent");
        String token = signIn(email, "203.0.113.6");
        var started = startConversation("Ana", null);
        given().header("Authorization", "Bearer " + token).get("/api/conversations/{id}", started.id()).then().statusCode(200);

        given().header("Authorization", AGENT).contentType(ContentType.JSON).body(Map.of("active", false))
                .patch("/api/agents/{id}", id).then().statusCode(200).body("active", equalTo(false));
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().header("Authorization", "Bearer " + token)
                .get("/api/conversations/{id}", started.id()).then().statusCode(401));
        from("203.0.113.6").body(Map.of("email", email, "password", PASSWORD)).post("/api/auth/login").then().statusCode(401);

        // back again: a new sign-in works, the token from before does not
        given().header("Authorization", AGENT).contentType(ContentType.JSON).body(Map.of("active", true))
                .patch("/api/agents/{id}", id).then().statusCode(200);
        String fresh = Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> signInOrNull(email), t -> t != null);
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().header("Authorization", "Bearer " + fresh)
                .get("/api/conversations/{id}", started.id()).then().statusCode(200));
        given().header("Authorization", "Bearer " + token).get("/api/conversations/{id}", started.id()).then().statusCode(401);
    }

    private static String signInOrNull(String email) {
        var response = from("203.0.113.7").body(Map.of("email", email, "password", PASSWORD)).post("/api/auth/login");
        // a sign-in in the same second as the reactivation would still fall before tokens_not_before
        if (response.statusCode() != 200) {
            return null;
        }
        String token = response.path("access_token");
        return given().header("Authorization", "Bearer " + token).get("/api/auth/me").statusCode() == 200 ? token : null;
    }

    @Test
    void conversationsAreAssignedAndFilteredByAssignee() {
        String email = email("owner");
        String id = create(email, "Owner", "agent");
        String token = signIn(email, "203.0.113.8");
        var mine = startConversation("Ana", null);
        var open = startConversation("Bo", null);

        given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON).body(Map.of("assignee_id", id))
                .patch("/api/conversations/{id}", mine.id()).then().statusCode(200).body("assignee_id", equalTo(id));
        List<String> assigned = given().header("Authorization", "Bearer " + token).queryParam("assignee", "me").queryParam("size", 200)
                .get("/api/conversations").then().statusCode(200).extract().path("items.id");
        assertEquals(List.of(mine.id()), assigned);
        given().header("Authorization", AGENT).queryParam("assignee", id).get("/api/conversations").then().statusCode(200)
                .body("items.id", equalTo(List.of(mine.id())));
        List<String> unassigned = given().header("Authorization", AGENT).queryParam("assignee", "unassigned").queryParam("size", 200)
                .get("/api/conversations").then().statusCode(200).extract().path("items.id");
        assertFalse(unassigned.contains(mine.id()));
        org.junit.jupiter.api.Assertions.assertTrue(unassigned.contains(open.id()));
        Envelope updated = events.awaitEnvelopes(mine.id(), 3, Duration.ofSeconds(15)).get(2);
        assertEquals(EventType.CONVERSATION_UPDATED.wire(), updated.type());
        assertEquals(id, updated.data().path("conversation").path("assignee_id").asText());

        var unassign = new java.util.HashMap<String, Object>();
        unassign.put("assignee_id", null);
        given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON).body(unassign)
                .patch("/api/conversations/{id}", mine.id()).then().statusCode(200).body("assignee_id", nullValue());
        given().header("Authorization", AGENT).contentType(ContentType.JSON).body(Map.of("assignee_id", java.util.UUID.randomUUID().toString()))
                .patch("/api/conversations/{id}", mine.id()).then().statusCode(400).body("field", equalTo("assignee_id"));
        given().header("Authorization", AGENT).queryParam("assignee", "me").get("/api/conversations").then().statusCode(400)
                .body("field", equalTo("assignee"));
        given().header("Authorization", mine.bearer()).contentType(ContentType.JSON).body(Map.of("assignee_id", id))
                .patch("/api/conversations/{id}", mine.id()).then().statusCode(403);
    }
}
