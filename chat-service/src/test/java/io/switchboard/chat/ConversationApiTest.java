package io.switchboard.chat;

import static io.switchboard.chat.ChatTestSupport.AGENT;
import static io.restassured.RestAssured.given;
import static io.switchboard.chat.ChatTestSupport.post;
import static io.switchboard.chat.ChatTestSupport.startConversation;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.Topics;
import io.switchboard.testing.KafkaTestResource;
import io.switchboard.testing.PostgresTestResource;
import io.switchboard.testing.TopicProbe;

@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class ConversationApiTest {
    private static TopicProbe events;

    @Inject
    DataSource dataSource;
    @ConfigProperty(name = "quarkus.datasource.jdbc.max-size", defaultValue = "20")
    int poolSize;

    @BeforeAll
    static void probe() {
        events = TopicProbe.of(Topics.CHAT_EVENTS);
    }

    @AfterAll
    static void close() {
        events.close();
    }

    @Test
    void aConversationStartsWithItsEventsKeyedByConversation() {
        var started = startConversation("Ana", "ana-" + System.nanoTime() + "@example.com");

        List<Envelope> published = events.awaitEnvelopes(started.id(), 2, Duration.ofSeconds(15));
        assertEquals(List.of("user_created", "conversation_created"), published.stream().map(Envelope::type).toList());
        assertEquals("Ana", published.get(0).data().path("contact").path("first_name").asText());
        assertEquals("premium", published.get(0).data().path("contact").path("attributes").path("plan").asText());
        assertEquals("open", published.get(1).data().path("conversation").path("status").asText());

        given().header("Authorization", AGENT).get("/api/conversations/{id}", started.id()).then()
                .statusCode(200).body("id", equalTo(started.id())).body("status", equalTo("open"))
                .body("contact.first_name", equalTo("Ana")).body("tags", empty());
        // the customer sees the public state only: no contact record, tags or assignee
        given().header("Authorization", started.bearer()).get("/api/conversations/{id}", started.id()).then()
                .statusCode(200).body("id", equalTo(started.id())).body("status", equalTo("open"))
                .body("$", not(org.hamcrest.Matchers.hasKey("contact"))).body("$", not(org.hamcrest.Matchers.hasKey("tags")))
                .body("$", not(org.hamcrest.Matchers.hasKey("assignee_id")));
    }

    @Test
    void anImpostorWithSomeoneElsesEmailGetsAContactOfTheirOwnAndSeesNothingOfTheVictim() {
        String email = "ben-" + System.nanoTime() + "@example.com";
        var victim = startConversation("Ben", email);
        post(victim.id(), victim.bearer(), "my card number ends in 4242").statusCode(201);
        var impostor = startConversation("Mallory", email);
        org.junit.jupiter.api.Assertions.assertNotEquals(victim.contactId(), impostor.contactId());
        given().header("Authorization", AGENT).get("/api/conversations/{id}", impostor.id()).then().statusCode(200)
                .body("contact.first_name", equalTo("Mallory")).body("contact.verified", equalTo(false));
        given().header("Authorization", AGENT).get("/api/conversations/{id}", victim.id()).then().statusCode(200)
                .body("contact.first_name", equalTo("Ben"));
        given().header("Authorization", impostor.bearer()).get("/api/conversations/{id}/messages", impostor.id()).then()
                .statusCode(200).body("total", equalTo(0));
        given().header("Authorization", impostor.bearer()).get("/api/conversations/{id}", victim.id()).then().statusCode(403);
        assertEquals(List.of("user_created", "conversation_created"),
                events.awaitEnvelopes(impostor.id(), 2, Duration.ofSeconds(15)).stream().map(Envelope::type).toList());
    }

    @Test
    void aCraftedEmailIsRefusedAtOnce() {
        // the shape that made a backtracking pattern run for minutes: answered in linear time
        String crafted = "a".repeat(50_000) + "@" + "a.".repeat(50_000);
        long started = System.nanoTime();
        given().contentType(ContentType.JSON).body(Map.of("contact", Map.of("email", crafted))).post("/api/conversations").then()
                .statusCode(400).body("field", equalTo("contact.email"));
        org.junit.jupiter.api.Assertions.assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 2_000,
                "answered in well under a second of work");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "{\"contact\": {\"first_name\": \"%s\"}}|contact.first_name|201",
            "{\"contact\": {\"phone\": \"123456789012345678901234567890123\"}}|contact.phone|0",
            "{\"contact\": {\"attributes\": {\"bad key\": 1}}}|contact.attributes|0",
            "{\"contact\": {\"attributes\": {\"nested\": {\"a\": 1}}}}|contact.attributes.nested|0",
            "{\"contact\": {\"attributes\": {\"plan\": \"%s\"}}}|contact.attributes.plan|257",
    })
    void contactFieldsAreBoundedNamingTheField(String template, String field, int length) {
        String body = template.contains("%s") ? template.formatted("x".repeat(length)) : template;
        given().contentType(ContentType.JSON).body(body).post("/api/conversations").then().statusCode(400).body("field", equalTo(field));
    }

    @Test
    void attributesAreBoundedInCountAndSize() {
        var many = new java.util.HashMap<String, Object>();
        for (int i = 0; i < 21; i++) {
            many.put("k" + i, i);
        }
        given().contentType(ContentType.JSON).body(Map.of("contact", Map.of("attributes", many))).post("/api/conversations").then()
                .statusCode(400).body("field", equalTo("contact.attributes"));
        var large = new java.util.HashMap<String, Object>();
        for (int i = 0; i < 20; i++) {
            large.put("k" + i, "v".repeat(250));
        }
        given().contentType(ContentType.JSON).body(Map.of("contact", Map.of("attributes", large))).post("/api/conversations").then()
                .statusCode(400).body("field", equalTo("contact.attributes"));
    }

    @Test
    void customerAndAgentMessagesAreStoredAndPublishedInOrder() {
        var started = startConversation("Cleo", null);
        post(started.id(), started.bearer(), "I need help with billing").statusCode(201)
                .body("sender_type", equalTo("customer")).body("id", notNullValue());
        post(started.id(), AGENT, "Happy to help").statusCode(201).body("sender_type", equalTo("agent"));
        post(started.id(), started.bearer(), "thanks").statusCode(201);

        // one event a message: a customer's is message_received, any other message_created
        List<Envelope> published = events.awaitEnvelopes(started.id(), 5, Duration.ofSeconds(15));
        assertEquals(List.of("user_created", "conversation_created", "message_received", "message_created", "message_received"),
                published.stream().map(Envelope::type).toList());
        assertEquals("I need help with billing", published.get(2).text("content"));
        assertEquals("customer", published.get(2).data().path("message").path("sender_type").asText());
        assertEquals("agent", published.get(3).data().path("message").path("sender_type").asText());

        given().header("Authorization", started.bearer()).get("/api/conversations/{id}/messages", started.id()).then()
                .statusCode(200).body("total", equalTo(3))
                .body("items.content", contains("I need help with billing", "Happy to help", "thanks"))
                .body("items.sender_type", contains("customer", "agent", "customer"));
        given().header("Authorization", started.bearer()).queryParam("size", 2).queryParam("page", 1)
                .get("/api/conversations/{id}/messages", started.id()).then()
                .statusCode(200).body("items.content", contains("thanks"));
    }

    @Test
    void aMessageWhileTheDatabaseHasNoConnectionFreeIsRefusedWith503AndNothingIsStored() throws Exception {
        var started = startConversation("Oli", "oli-" + System.nanoTime() + "@example.com");
        List<Connection> held = new ArrayList<>();
        try {
            // every connection of the pool taken: the request waits the acquisition timeout, then is told to come back
            for (int i = 0; i < poolSize; i++) {
                held.add(dataSource.getConnection());
            }
            post(started.id(), started.bearer(), "anyone there?").statusCode(503).header("Retry-After", "1")
                    .body("error", equalTo("temporarily unavailable, try again"));
        } finally {
            for (Connection connection : held) {
                connection.close();
            }
        }
        given().header("Authorization", AGENT).get("/api/conversations/{id}/messages", started.id()).then()
                .statusCode(200).body("total", equalTo(0));
        post(started.id(), started.bearer(), "anyone there?").statusCode(201);
    }

    @Test
    void agentsChangeStatusAndTagsAndListByThem() {
        var started = startConversation("Dora", null);
        given().header("Authorization", AGENT).contentType(ContentType.JSON).body(Map.of("status", "support_active"))
                .patch("/api/conversations/{id}", started.id()).then().statusCode(200).body("status", equalTo("support_active"));
        String tag = "vip-" + System.nanoTime();
        given().header("Authorization", AGENT).contentType(ContentType.JSON).body(Map.of("tag", tag))
                .post("/api/conversations/{id}/tags", started.id()).then().statusCode(200).body("tags", contains(tag));
        // adding it again changes nothing and publishes nothing
        given().header("Authorization", AGENT).contentType(ContentType.JSON).body(Map.of("tag", tag))
                .post("/api/conversations/{id}/tags", started.id()).then().statusCode(200).body("tags", contains(tag));

        given().header("Authorization", AGENT).queryParam("tag", tag).get("/api/conversations").then()
                .statusCode(200).body("items.id", contains(started.id()));
        given().header("Authorization", AGENT).queryParam("status", "support_active").get("/api/conversations").then()
                .statusCode(200).body("items.id", hasItem(started.id()));
        given().header("Authorization", AGENT).queryParam("status", "closed").get("/api/conversations").then()
                .statusCode(200).body("items.id", not(hasItem(started.id())));

        given().header("Authorization", AGENT).delete("/api/conversations/{id}/tags/{tag}", started.id(), tag).then()
                .statusCode(200).body("tags", empty());

        List<String> types = events.awaitEnvelopes(started.id(), 7, Duration.ofSeconds(15)).stream().map(Envelope::type).toList();
        assertEquals(List.of("user_created", "conversation_created", "conversation_updated", "tag_added", "conversation_updated",
                "tag_removed", "conversation_updated"), types);
    }

    @Test
    void aFloodOfCustomerMessagesIsCutAtTheLimitAndAgentsAreNotLimited() {
        var started = startConversation("Flo", null);
        // refused messages were never stored: they do not use up the limit
        for (int i = 0; i < 5; i++) {
            post(started.id(), started.bearer(), "").statusCode(400);
        }
        int accepted = 0;
        String refusal = null;
        for (int i = 0; i < 30; i++) {
            var response = post(started.id(), started.bearer(), "spam " + i).extract();
            if (response.statusCode() == 201) {
                accepted++;
            } else {
                assertEquals(429, response.statusCode());
                refusal = response.path("error");
            }
        }
        assertEquals(20, accepted, "the default limit: 20 per 10 s");
        org.junit.jupiter.api.Assertions.assertTrue(refusal != null && refusal.contains("too many messages"), refusal);
        post(started.id(), AGENT, "agents may still write").statusCode(201);
        given().header("Authorization", AGENT).get("/api/conversations/{id}/messages", started.id()).then()
                .body("total", equalTo(21));
    }

    @Test
    void badInputIsRejectedWithTheFieldNamedAndNothingStored() {
        var started = startConversation("Eve", null);
        var other = startConversation("Finn", null);
        String unknown = "00000000-0000-0000-0000-000000000000";

        post(unknown, AGENT, "hello").statusCode(404).body("error", notNullValue());
        post(started.id(), null, "hello").statusCode(401);
        post(started.id(), "Bearer forged.token.value", "hello").statusCode(401);
        post(started.id(), other.bearer(), "hello").statusCode(403);
        post(started.id(), started.bearer(), "   ").statusCode(400).body("field", equalTo("content"));
        post(started.id(), started.bearer(), "x".repeat(4097)).statusCode(400).body("field", equalTo("content"));
        // past the body limit (256 KiB) the request is refused before it is read into memory
        post(started.id(), started.bearer(), "x".repeat(300_000)).statusCode(413);
        given().header("Authorization", AGENT).contentType(ContentType.JSON).body(Map.of("status", "sleeping"))
                .patch("/api/conversations/{id}", started.id()).then().statusCode(400).body("field", equalTo("status"));
        given().header("Authorization", started.bearer()).contentType(ContentType.JSON).body(Map.of("status", "closed"))
                .patch("/api/conversations/{id}", started.id()).then().statusCode(403);
        given().header("Authorization", started.bearer()).get("/api/conversations").then().statusCode(403);
        given().contentType(ContentType.JSON).body("{\"channel\": \"web\", \"contact\": {\"email\": \"not-an-email\"}}")
                .post("/api/conversations").then().statusCode(400).body("field", equalTo("contact.email"));
        given().contentType(ContentType.JSON).body("{\"channel\": \"fax\"}")
                .post("/api/conversations").then().statusCode(400).body("field", equalTo("channel"));
        given().contentType(ContentType.JSON).body("{\"channel\": ").post("/api/conversations").then().statusCode(400);
        given().header("Authorization", AGENT).contentType(ContentType.JSON).body(Map.of("tag", ""))
                .post("/api/conversations/{id}/tags", started.id()).then().statusCode(400).body("field", equalTo("tag"));

        given().header("Authorization", AGENT).get("/api/conversations/{id}/messages", started.id()).then()
                .statusCode(200).body("total", equalTo(0));
        given().header("Authorization", AGENT).get("/api/conversations/{id}", started.id()).then()
                .statusCode(200).body("status", equalTo("open"));
        assertEquals(List.of("user_created", "conversation_created"),
                events.drain(started.id(), Duration.ofSeconds(1)).stream().map(Envelope::type).toList());
    }
}
