package io.switchboard.chat;

import static io.restassured.RestAssured.given;
import static io.switchboard.chat.ChatTestSupport.AGENT;
import static io.switchboard.chat.ChatTestSupport.post;
import static io.switchboard.chat.ChatTestSupport.startConversation;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.switchboard.chat.agent.AgentApiTest;
import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.Topics;
import io.switchboard.testing.KafkaTestResource;
import io.switchboard.testing.PostgresTestResource;
import io.switchboard.testing.TopicProbe;

/** The agent workspace: private notes, canned responses, read state, search, ratings and reports. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class WorkspaceApiTest {
    private static TopicProbe events;

    @Inject
    EntityManager entityManager;

    @BeforeAll
    static void probe() {
        events = TopicProbe.of(Topics.CHAT_EVENTS);
    }

    @AfterAll
    static void close() {
        events.close();
    }

    private static ValidatableResponse note(String conversationId, String authorization, String content) {
        return given().header("Authorization", authorization).contentType(ContentType.JSON).body(Map.of("content", content))
                .post("/api/conversations/{id}/notes", conversationId).then();
    }

    private static String agentToken(String name) {
        String email = AgentApiTest.email(name.toLowerCase());
        AgentApiTest.create(email, name, "agent");
        return "Bearer " + AgentApiTest.signIn(email, "198.51.100." + (Math.abs(name.hashCode()) % 250 + 1));
    }

    // ---- private notes ----

    @Test
    void aPrivateNoteIsForAgentsOnlyAndNeverAMessageEvent() {
        var started = startConversation("Nora", null);
        post(started.id(), started.bearer(), "where is my parcel?").statusCode(201);
        String noteId = note(started.id(), AGENT, "customer called twice already, be kind").statusCode(201)
                .body("private", equalTo(true)).body("sender_type", equalTo("agent")).extract().path("id");
        post(started.id(), AGENT, "It left the warehouse today.").statusCode(201);

        // agents see the note among the messages; the customer does not, not even its existence
        given().header("Authorization", AGENT).get("/api/conversations/{id}/messages", started.id()).then().statusCode(200)
                .body("total", equalTo(3)).body("items.id", hasItem(noteId)).body("items.find { it.id == '" + noteId + "' }.private", equalTo(true));
        given().header("Authorization", started.bearer()).get("/api/conversations/{id}/messages", started.id()).then().statusCode(200)
                .body("total", equalTo(2)).body("items.id", not(hasItem(noteId)))
                .body("items.content", not(hasItem("customer called twice already, be kind")));

        // on Kafka it is a note_created, never message_created or message_received: workflows and the model never see it
        // user_created, conversation_created, the customer's message_received, the note, the agent's message_created
        events.awaitEnvelopes(started.id(), 5, Duration.ofSeconds(15));
        List<Envelope> all = events.drain(started.id(), Duration.ofSeconds(1));
        var aboutNote = all.stream().filter(e -> noteId.equals(e.data().path("message").path("id").asText())).toList();
        assertEquals(List.of("note_created"), aboutNote.stream().map(Envelope::type).toList());
        assertTrue(aboutNote.get(0).data().path("message").path("private").asBoolean());

        // a customer's token cannot write one, and bad input stores nothing
        note(started.id(), started.bearer(), "I am an agent, honest").statusCode(403);
        note(started.id(), AGENT, "x".repeat(4097)).statusCode(400).body("field", equalTo("content"));
        note(started.id(), AGENT, "  ").statusCode(400).body("field", equalTo("content"));
        given().header("Authorization", AGENT).get("/api/conversations/{id}/messages", started.id()).then().body("total", equalTo(3));
    }

    // ---- canned responses ----

    @Test
    void cannedResponsesAreTemplatesRenderedForTheOpenConversation() {
        String code = "ship" + System.nanoTime() % 100_000;
        String id = given().header("Authorization", AGENT).contentType(ContentType.JSON)
                .body(Map.of("short_code", code, "content", "Hi {{user.first_name | default: \"there\"}}, your {{user.plan}} order ships today."))
                .post("/api/canned-responses").then().statusCode(201).body("short_code", equalTo(code)).extract().path("id");
        given().header("Authorization", AGENT).get("/api/canned-responses").then().statusCode(200).body("short_code", hasItem(code));

        var started = startConversation("Olga", null);
        render(code, started.id()).statusCode(200).body("content", equalTo("Hi Olga, your premium order ships today."));

        given().header("Authorization", AGENT).contentType(ContentType.JSON)
                .body(Map.of("short_code", code, "content", "Hello {{user.first_name | upcase}}"))
                .put("/api/canned-responses/{id}", id).then().statusCode(200);
        render(code, started.id()).statusCode(200).body("content", equalTo("Hello OLGA"));

        // bad input: 400 naming the field, nothing stored or changed
        render("no-such-code", started.id()).statusCode(400).body("field", equalTo("short_code"));
        canned(Map.of("short_code", "long" + System.nanoTime(), "content", "y".repeat(4097))).statusCode(400).body("field", equalTo("content"));
        canned(Map.of("short_code", "broken" + System.nanoTime(), "content", "Hi {{user.first_name")).statusCode(400)
                .body("field", equalTo("content"));
        canned(Map.of("short_code", "has space", "content", "x")).statusCode(400).body("field", equalTo("short_code"));
        canned(Map.of("short_code", code.toUpperCase(), "content", "another")).statusCode(409).body("field", equalTo("short_code"));

        // another agent may use it but not change it; its author or an admin may
        String colleague = agentToken("Pia");
        given().header("Authorization", colleague).get("/api/canned-responses").then().statusCode(200).body("short_code", hasItem(code));
        given().header("Authorization", colleague).delete("/api/canned-responses/{id}", id).then().statusCode(403);
        given().header("Authorization", started.bearer()).get("/api/canned-responses").then().statusCode(403);
        given().header("Authorization", AGENT).delete("/api/canned-responses/{id}", id).then().statusCode(204);
        render(code, started.id()).statusCode(400).body("field", equalTo("short_code"));
    }

    private static ValidatableResponse render(String code, String conversationId) {
        return given().header("Authorization", AGENT).contentType(ContentType.JSON)
                .body(Map.of("short_code", code, "conversation_id", conversationId)).post("/api/canned-responses/render").then();
    }

    private static ValidatableResponse canned(Map<String, Object> body) {
        return given().header("Authorization", AGENT).contentType(ContentType.JSON).body(body).post("/api/canned-responses").then();
    }

    // ---- read state ----

    @Test
    void unreadCountsArePerAgentAndTheCustomerSeesWhenTheirMessagesWereRead() {
        String quinn = agentToken("Quinn");
        String rafa = agentToken("Rafa");
        var started = startConversation("Sara", null);
        post(started.id(), started.bearer(), "hello?").statusCode(201);
        post(started.id(), started.bearer(), "anyone there?").statusCode(201);
        note(started.id(), AGENT, "a note is not unread customer text").statusCode(201);

        assertEquals(2, unread(quinn, started.id()));
        assertEquals(2, unread(rafa, started.id()));
        given().header("Authorization", quinn).post("/api/conversations/{id}/read", started.id()).then().statusCode(200)
                .body("moved", equalTo(true));
        given().header("Authorization", quinn).post("/api/conversations/{id}/read", started.id()).then().statusCode(200)
                .body("moved", equalTo(false));
        assertEquals(0, unread(quinn, started.id()));
        assertEquals(2, unread(rafa, started.id()), "read state is each agent's own");
        post(started.id(), started.bearer(), "one more").statusCode(201);
        assertEquals(1, unread(quinn, started.id()));

        // the widget learns that its messages were seen, not by whom
        var read = events.await(r -> started.id().equals(r.key()) && r.value().contains("\"conversation_read\""), 1, Duration.ofSeconds(15));
        assertTrue(read.get(0).value().contains("up_to"));
        // the bootstrap token has no account, so no read state; a customer has none either
        given().header("Authorization", AGENT).post("/api/conversations/{id}/read", started.id()).then().statusCode(403);
        given().header("Authorization", started.bearer()).post("/api/conversations/{id}/read", started.id()).then().statusCode(403);
        given().header("Authorization", AGENT).get("/api/conversations?size=200").then().statusCode(200)
                .body("items.find { it.id == '" + started.id() + "' }.unread_count", nullValue());
    }

    private static int unread(String token, String conversationId) {
        JsonPath page = given().header("Authorization", token).get("/api/conversations?size=200").then().statusCode(200).extract().jsonPath();
        return page.getInt("items.find { it.id == '" + conversationId + "' }.unread_count");
    }

    // ---- search ----

    @Test
    void searchFindsMessagesAndContactsRankedAndHighlighted() {
        String word = "zebrafy" + Long.toString(System.nanoTime(), 36);
        var first = startConversation("Tomas", null);
        post(first.id(), first.bearer(), "my " + word + " arrived broken").statusCode(201);
        var second = startConversation("Uma", null);
        post(second.id(), second.bearer(), word + " " + word + " again, the " + word + " is broken").statusCode(201);
        note(second.id(), AGENT, "refund the " + word).statusCode(201);
        var byName = startConversation("Vera " + word, null);

        JsonPath found = given().header("Authorization", AGENT).queryParam("q", word).get("/api/search").then().statusCode(200)
                .body("total", equalTo(4)).body("total_exact", equalTo(true)).extract().jsonPath();
        List<Map<String, Object>> items = found.getList("items");
        assertEquals(4, items.size());
        // ranked: the message that says it three times above those that say it once
        List<String> kinds = items.stream().map(i -> i.get("kind") + ":" + i.get("conversation_id") + ":" + i.get("private")).toList();
        assertTrue(kinds.contains("contact:" + byName.id() + ":false"), kinds.toString());
        assertTrue(kinds.indexOf("message:" + second.id() + ":false") < kinds.indexOf("message:" + first.id() + ":false"), kinds.toString());
        assertTrue(kinds.indexOf("message:" + second.id() + ":false") < kinds.indexOf("message:" + second.id() + ":true"),
                "the note is found, marked private: " + kinds);
        for (Map<String, Object> item : items) {
            String snippet = (String) item.get("snippet");
            @SuppressWarnings("unchecked")
            List<List<Integer>> highlights = (List<List<Integer>>) item.get("highlights");
            assertFalse(highlights.isEmpty(), "highlighted: " + item);
            for (List<Integer> range : highlights) {
                assertEquals(word, snippet.substring(range.get(0), range.get(1)).toLowerCase());
            }
        }
        // paged
        given().header("Authorization", AGENT).queryParam("q", word).queryParam("size", 2).queryParam("page", 1).get("/api/search")
                .then().statusCode(200).body("items.size()", equalTo(2)).body("total", equalTo(4));
        // a phrase, and a word left out
        given().header("Authorization", AGENT).queryParam("q", "\"" + word + " arrived\"").get("/api/search").then().statusCode(200)
                .body("total", equalTo(1)).body("items[0].conversation_id", equalTo(first.id()));
        given().header("Authorization", AGENT).queryParam("q", word + " -again -refund -vera").get("/api/search").then().statusCode(200)
                .body("total", equalTo(1));

        given().header("Authorization", AGENT).queryParam("q", "x".repeat(201)).get("/api/search").then().statusCode(400)
                .body("field", equalTo("q"));
        given().header("Authorization", AGENT).get("/api/search").then().statusCode(400).body("field", equalTo("q"));
        given().header("Authorization", AGENT).queryParam("q", word).queryParam("size", 51).get("/api/search").then().statusCode(400)
                .body("field", equalTo("size"));
        given().header("Authorization", first.bearer()).queryParam("q", word).get("/api/search").then().statusCode(403);
    }

    // ---- ratings ----

    @Test
    void aCustomerRatesAResolvedConversationOnce() {
        var started = startConversation("Wes", null);
        post(started.id(), started.bearer(), "thanks for the help").statusCode(201);
        rate(started, 5).statusCode(400).body("field", equalTo("rating")).body("error", containsString("resolved"));
        given().header("Authorization", AGENT).contentType(ContentType.JSON).body(Map.of("status", "resolved"))
                .patch("/api/conversations/{id}", started.id()).then().statusCode(200);

        rate(started, 0).statusCode(400).body("field", equalTo("rating"));
        rate(started, 6).statusCode(400).body("field", equalTo("rating"));
        given().header("Authorization", started.bearer()).contentType(ContentType.JSON).body("{\"rating\": \"great\"}")
                .post("/api/conversations/{id}/rating", started.id()).then().statusCode(400);
        rate(started, 4).statusCode(200).body("rating", equalTo(4)).body("status", equalTo("resolved"));
        rate(started, 5).statusCode(400).body("field", equalTo("rating")).body("error", containsString("already"));
        given().header("Authorization", AGENT).get("/api/conversations/{id}", started.id()).then().body("rating", equalTo(4));
        // only the customer rates: not an agent, not another customer
        given().header("Authorization", AGENT).contentType(ContentType.JSON).body(Map.of("rating", 1))
                .post("/api/conversations/{id}/rating", started.id()).then().statusCode(403);
        var other = startConversation("Xia", null);
        given().header("Authorization", other.bearer()).contentType(ContentType.JSON).body(Map.of("rating", 1))
                .post("/api/conversations/{id}/rating", started.id()).then().statusCode(403);
    }

    private static ValidatableResponse rate(ChatTestSupport.Started started, int rating) {
        return given().header("Authorization", started.bearer()).contentType(ContentType.JSON).body(Map.of("rating", rating))
                .post("/api/conversations/{id}/rating", started.id()).then();
    }

    // ---- reports ----

    /**
     * A fixed set of conversations in March 2020 (before the test's own), read in Madrid's time zone (UTC+1 then).
     * The expected figures are worked out by hand in the comments.
     */
    @Test
    void reportsComputeTheFiguresOfAFixedDataSetPerTimeZone() {
        UUID w1 = UUID.randomUUID();
        UUID w2 = UUID.randomUUID();
        String friendly = "{\"prompt_variant\": {\"workflow_id\": \"" + w1 + "\", \"name\": \"friendly\"}}";
        String formal = "{\"prompt_variant\": {\"workflow_id\": \"" + w1 + "\", \"name\": \"formal\"}}";
        String greeting = "{\"workflow_id\": \"" + w2 + "\", \"workflow_name\": \"Greeting\"}";
        QuarkusTransaction.requiringNew().run(() -> {
            // A: Mar 2, 00:30 in Madrid (Mar 1 in UTC). AI answers after 4 s, resolved after 600 s, rated 5. Variant friendly.
            UUID a = conversation("2020-03-01T23:30:00Z", "2020-03-01T23:40:00Z", 5, false);
            message(a, "customer", "2020-03-01T23:30:00Z", "{}", false);
            message(a, "ai", "2020-03-01T23:30:04Z", friendly, false);
            // B: Mar 2. AI after 10 s (variant formal), then an agent; resolved after 3,600 s, rated 3.
            UUID b = conversation("2020-03-02T10:00:00Z", "2020-03-02T11:00:00Z", 3, false);
            message(b, "customer", "2020-03-02T10:00:00Z", "{}", false);
            message(b, "ai", "2020-03-02T10:00:10Z", formal, false);
            message(b, "agent", "2020-03-02T10:05:00Z", "{}", false);
            // C: Mar 3. A workflow greets after 1 s (not an answer), a private note after 60 s (not one either),
            // the agent answers after 120 s. Not resolved.
            UUID c = conversation("2020-03-03T12:00:00Z", null, null, false);
            message(c, "customer", "2020-03-03T12:00:00Z", "{}", false);
            message(c, "workflow", "2020-03-03T12:00:01Z", greeting, false);
            message(c, "agent", "2020-03-03T12:01:00Z", "{}", true);
            message(c, "agent", "2020-03-03T12:02:00Z", "{}", false);
            // D: Mar 3, 23:30 in Madrid. The AI's fallback after 20 s (variant friendly), tagged needs_human.
            UUID d = conversation("2020-03-03T22:30:00Z", null, null, true);
            message(d, "customer", "2020-03-03T22:30:00Z", "{}", false);
            message(d, "ai", "2020-03-03T22:30:20Z", friendly, false);
            // E: Mar 4 in Madrid (Mar 3 in UTC) and F: Mar 1 in Madrid: outside the Madrid range
            UUID e = conversation("2020-03-03T23:30:00Z", "2020-03-03T23:31:00Z", 1, false);
            message(e, "customer", "2020-03-03T23:30:00Z", "{}", false);
            message(e, "ai", "2020-03-03T23:30:01Z", friendly, false);
            UUID f = conversation("2020-03-01T22:30:00Z", null, null, false);
            message(f, "customer", "2020-03-01T22:30:00Z", "{}", false);
        });

        JsonPath report = given().header("Authorization", AGENT)
                .queryParam("from", "2020-03-02").queryParam("to", "2020-03-03").queryParam("tz", "Europe/Madrid")
                .get("/api/reports").then().statusCode(200).extract().jsonPath();
        // A, B, C, D
        assertEquals(4, report.getInt("totals.conversations"));
        // first responses 4, 10, 20, 120 s: median (10 + 20) / 2 = 15; p90 at rank 0.9 * 3 = 2.7: 20 + 0.7 * 100 = 90
        assertEquals(15.0, report.getDouble("totals.first_response_seconds.p50"), 1e-6);
        assertEquals(90.0, report.getDouble("totals.first_response_seconds.p90"), 1e-6);
        // resolutions 600 and 3,600 s: median 2,100; p90 600 + 0.9 * 3,000 = 3,300
        assertEquals(2, report.getInt("totals.resolved"));
        assertEquals(2100.0, report.getDouble("totals.resolution_seconds.p50"), 1e-6);
        assertEquals(3300.0, report.getDouble("totals.resolution_seconds.p90"), 1e-6);
        // ratings 5 and 3
        assertEquals(4.0, report.getDouble("totals.csat.average"), 1e-6);
        assertEquals(2, report.getInt("totals.csat.ratings"));
        // handed off: B and C (an agent wrote), D (needs_human): 3 of 4
        assertEquals(0.75, report.getDouble("totals.handoff_rate"), 1e-6);
        // the AI answered in A, B, D; resolved without an agent: A only
        assertEquals(3, report.getInt("totals.ai_conversations"));
        assertEquals(1.0 / 3, report.getDouble("totals.ai_resolution_rate"), 1e-6);
        // days in Madrid: Mar 2 has A and B (both resolved), Mar 3 has C and D
        assertEquals(List.of("2020-03-02", "2020-03-03"), report.getList("per_day.day"));
        assertEquals(List.of(2, 2), report.getList("per_day.conversations"));
        assertEquals(List.of(2, 0), report.getList("per_day.resolved"));
        // per workflow: w1's prompt in A, B, D; w2 wrote in C
        String w1Path = "per_workflow.find { it.workflow_id == '" + w1 + "' }.figures";
        assertEquals(3, report.getInt(w1Path + ".conversations"));
        assertEquals(2.0 / 3, report.getDouble(w1Path + ".handoff_rate"), 1e-6);
        assertEquals(1.0 / 3, report.getDouble(w1Path + ".ai_resolution_rate"), 1e-6);
        assertEquals("Greeting", report.getString("per_workflow.find { it.workflow_id == '" + w2 + "' }.workflow_name"));
        assertEquals(1, report.getInt("per_workflow.find { it.workflow_id == '" + w2 + "' }.figures.conversations"));
        // per variant: friendly in A and D (A resolved by the AI, rated 5), formal in B (an agent stepped in, rated 3)
        String friendlyPath = "per_variant.find { it.variant == 'friendly' }.figures";
        assertEquals(2, report.getInt(friendlyPath + ".conversations"));
        assertEquals(0.5, report.getDouble(friendlyPath + ".ai_resolution_rate"), 1e-6);
        assertEquals(5.0, report.getDouble(friendlyPath + ".csat.average"), 1e-6);
        String formalPath = "per_variant.find { it.variant == 'formal' }.figures";
        assertEquals(1, report.getInt(formalPath + ".conversations"));
        assertEquals(0.0, report.getDouble(formalPath + ".ai_resolution_rate"), 1e-6);

        // the same days in UTC: B, C, D, E (A and F fall on Mar 1)
        JsonPath utc = given().header("Authorization", AGENT).queryParam("from", "2020-03-02").queryParam("to", "2020-03-03")
                .get("/api/reports").then().statusCode(200).body("tz", equalTo("UTC")).extract().jsonPath();
        assertEquals(4, utc.getInt("totals.conversations"));
        assertEquals(List.of(1, 3), utc.getList("per_day.conversations"));

        // bad input, and who may ask
        given().header("Authorization", AGENT).queryParam("from", "2020-03-04").queryParam("to", "2020-03-03").get("/api/reports")
                .then().statusCode(400).body("field", equalTo("from"));
        given().header("Authorization", AGENT).queryParam("from", "2020-3-4").get("/api/reports").then().statusCode(400)
                .body("field", equalTo("from"));
        given().header("Authorization", AGENT).queryParam("tz", "Mars/Olympus").get("/api/reports").then().statusCode(400)
                .body("field", equalTo("tz"));
        given().header("Authorization", agentToken("Yan")).get("/api/reports").then().statusCode(403);
    }

    private UUID conversation(String createdAt, String resolvedAt, Integer rating, boolean needsHuman) {
        UUID contact = UUID.randomUUID();
        UUID conversation = UUID.randomUUID();
        entityManager.createNativeQuery("insert into contacts (id, first_name, created_at) values (?1, 'Fixture', ?2)")
                .setParameter(1, contact).setParameter(2, Instant.parse(createdAt)).executeUpdate();
        entityManager.createNativeQuery("""
                insert into conversations (id, contact_id, channel, status, tags, created_at, updated_at, resolved_at, rating)
                values (?1, ?2, 'web', ?3, cast(?4 as text[]), ?5, ?5, cast(?6 as timestamptz), cast(?7 as smallint))""")
                .setParameter(1, conversation).setParameter(2, contact).setParameter(3, resolvedAt == null ? "open" : "resolved")
                .setParameter(4, needsHuman ? "{needs_human}" : "{}").setParameter(5, Instant.parse(createdAt))
                .setParameter(6, resolvedAt).setParameter(7, rating == null ? null : rating.toString())
                .executeUpdate();
        return conversation;
    }

    private void message(UUID conversation, String senderType, String createdAt, String metadata, boolean privateNote) {
        entityManager.createNativeQuery("""
                insert into messages (id, conversation_id, sender_type, content, metadata, private, created_at)
                values (?1, ?2, ?3, 'fixture', cast(?4 as jsonb), ?5, ?6)""")
                .setParameter(1, UUID.randomUUID()).setParameter(2, conversation).setParameter(3, senderType)
                .setParameter(4, metadata).setParameter(5, privateNote).setParameter(6, Instant.parse(createdAt)).executeUpdate();
    }
}
