package io.switchboard.workflow;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.switchboard.testing.KafkaTestResource;
import io.switchboard.testing.PostgresTestResource;
import io.switchboard.testing.TestKeys;
import io.switchboard.workflow.domain.WorkflowValidator;

@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
public class WorkflowApiTest {
    public static final String AGENT = "Bearer dev-agent-token";

    public static String create(String document) {
        return given().header("Authorization", AGENT).contentType(ContentType.JSON).body(document)
                .post("/api/workflows").then().statusCode(201).body("id", notNullValue()).extract().path("id");
    }

    @Test
    void theSeedsExamplesAreAcceptedAsWritten() {
        String id = create(SeedWorkflows.HUMAN_HANDOFF);
        given().header("Authorization", AGENT).get("/api/workflows/{id}", id).then().statusCode(200)
                .body("name", equalTo("Human handoff")).body("trigger.keywords[1]", equalTo("agent"))
                .body("actions[2].configuration.status", equalTo("support_active"));
        create(SeedWorkflows.PREMIUM_SUPPORT);
        String spanish = create(SeedWorkflows.SPANISH_SUPPORT);
        // the seed's model field names are read as the documented ones
        given().header("Authorization", AGENT).get("/api/workflows/{id}", spanish).then().statusCode(200)
                .body("actions[0].action", equalTo("custom_prompt"))
                .body("actions[1].context_data.preferred_language", equalTo("spanish"));
        given().header("Authorization", AGENT).get("/api/workflows").then().statusCode(200).body("id", hasItem(id));
    }

    @Test
    void replaceAndDelete() {
        String id = create(SeedWorkflows.HUMAN_HANDOFF);
        given().header("Authorization", AGENT).contentType(ContentType.JSON)
                .body(SeedWorkflows.HUMAN_HANDOFF.replace("\"ACTIVE\"", "\"INACTIVE\""))
                .put("/api/workflows/{id}", id).then().statusCode(200).body("status", equalTo("INACTIVE"));
        given().header("Authorization", AGENT).delete("/api/workflows/{id}", id).then().statusCode(204);
        given().header("Authorization", AGENT).get("/api/workflows/{id}", id).then().statusCode(404);
        given().header("Authorization", AGENT).get("/api/workflows").then().statusCode(200).body("id", not(hasItem(id)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"name\": \"x\", \"trigger\": {\"when_type\": \"receive_message\", \"keywords\": [\"a\"]}, \"actions\": [{\"action_type\": \"teleport\"}]}|actions[0].action_type",
            "{\"name\": \"x\", \"trigger\": {\"when_type\": \"receive_message\", \"keywords\": [\"a\"]}, \"actions\": [{\"action_type\": \"control_ai_response\", \"action\": \"custom_prompt\"}]}|actions[0].custom_prompt",
            "{\"name\": \"x\", \"trigger\": {\"when_type\": \"receive_message\", \"keywords\": \"refund\"}, \"actions\": [{\"action_type\": \"control_ai_response\", \"action\": \"disable\"}]}|trigger.keywords",
            "{\"name\": \"x\", \"trigger\": {\"when_type\": \"user_created\"}, \"actions\": [{\"action_type\": \"send_message\", \"mesage\": \"Hi\"}]}|actions[0].mesage",
            "{\"name\": \"x\", \"trigger\": {\"when_type\": \"user_created\", \"tag\": \"vip\"}, \"actions\": [{\"action_type\": \"add_tag\", \"tag\": \"a\"}]}|trigger.tag",
            "{\"name\": \"x\", \"trigger\": {\"when_type\": \"user_created\"}, \"conditions\": [{\"field\": \"contact.plan\", \"operator\": \"approximately\", \"value\": \"pro\"}], \"actions\": [{\"action_type\": \"add_tag\", \"tag\": \"a\"}]}|conditions[0].operator",
            "{\"name\": \"x\", \"trigger\": {\"when_type\": \"user_created\"}, \"condition\": [], \"actions\": [{\"action_type\": \"add_tag\", \"tag\": \"a\"}]}|condition",
            "{\"name\": \"x\", \"trigger\": {\"when_type\": \"user_created\"}, \"actions\": [{\"action_type\": \"wait\", \"seconds\": 604801}, {\"action_type\": \"add_tag\", \"tag\": \"a\"}]}|actions[0].seconds",
            "{\"name\": \"x\", \"trigger\": {\"when_type\": \"user_created\"}, \"actions\": [{\"action_type\": \"add_tag\", \"tag\": \"a\"}, {\"action_type\": \"wait\", \"seconds\": 5}]}|actions[1]",
            "{\"name\": \"x\", \"trigger\": {\"when_type\": \"conversation_idle\", \"minutes\": 0, \"waiting_on\": \"agent\"}, \"actions\": [{\"action_type\": \"add_tag\", \"tag\": \"a\"}]}|trigger.minutes",
            "{\"name\": \"x\", \"trigger\": {\"when_type\": \"conversation_idle\", \"minutes\": 5, \"waiting_on\": \"bot\"}, \"actions\": [{\"action_type\": \"add_tag\", \"tag\": \"a\"}]}|trigger.waiting_on",
            "{\"name\": \"x\", \"trigger\": {\"when_type\": \"user_created\"}, \"actions\": [{\"action_type\": \"control_ai_response\", \"action\": \"custom_prompt\", \"variants\": [{\"name\": \"a\", \"weight\": 0, \"custom_prompt\": \"x\"}, {\"name\": \"b\", \"weight\": 0, \"custom_prompt\": \"y\"}]}]}|actions[0].variants",
            "{\"name\": \"x\", \"trigger\": {\"when_type\": \"user_created\"}, \"actions\": [{\"action_type\": \"control_ai_response\", \"action\": \"custom_prompt\", \"variants\": [{\"name\": \"a\", \"weight\": 1, \"custom_prompt\": \"x\"}, {\"name\": \"a\", \"weight\": 1, \"custom_prompt\": \"y\"}]}]}|actions[0].variants[1].name",
            "{\"name\": \"x\", \"trigger\": {\"when_type\": \"user_created\"}, \"actions\": [{\"action_type\": \"send_message\", \"message\": \"Hi {{system.exit}}\"}]}|actions[0].message",
            "{\"name\": \"x\", \"trigger\": {\"when_type\": \"on_full_moon\"}, \"actions\": [{\"action_type\": \"control_ai_response\", \"action\": \"disable\"}]}|trigger.when_type",
            "{\"name\": \"x\", \"trigger\": {\"when_type\": \"user_created\"}, \"actions\": [{\"action_type\": \"send_message\", \"message\": \"Hi {{user.first_name\"}]}|actions[0].message",
            "{\"name\": \"x\", \"trigger\": {\"when_type\": \"user_created\"}, \"actions\": [{\"action_type\": \"send_message\", \"message\": \"Hi\", \"message_type\": \"spam\"}]}|actions[0].message_type",
            "{\"name\": \"x\", \"trigger\": {\"when_type\": \"user_created\"}, \"actions\": [{\"action_type\": \"set_conversation_status\", \"configuration\": {\"status\": \"asleep\"}}]}|actions[0].configuration.status",
            "{\"name\": \"x\", \"trigger\": {\"when_type\": \"user_created\"}, \"actions\": [{\"action_type\": \"update_ai_context\", \"context_data\": {\"a\": \"{{ os.system }}\"}}]}|actions[0].context_data",
            "{\"name\": \"x\", \"trigger\": {\"when_type\": \"user_created\"}, \"conditions\": [{\"field\": \"contact.age\", \"operator\": \"greater_than\", \"value\": \"old\"}], \"actions\": [{\"action_type\": \"add_tag\", \"tag\": \"a\"}]}|conditions[0].value",
            "{\"trigger\": {\"when_type\": \"user_created\"}, \"actions\": [{\"action_type\": \"add_tag\", \"tag\": \"a\"}]}|name",
            "{\"name\": \"x\", \"trigger\": {\"when_type\": \"user_created\"}, \"actions\": []}|actions",
            "{\"name\": \"x\", \"trigger\": {\"when_type\": \"user_created\"}, \"actions\": [{\"action_type\": \"assign_conversation\"}]}|actions[0].agent_id",
            "{\"name\": \"x\", \"trigger\": {\"when_type\": \"user_created\"}, \"actions\": [{\"action_type\": \"assign_conversation\", \"agent_id\": \"sam\"}]}|actions[0].agent_id",
            "{\"name\": \"x\", \"trigger\": {\"when_type\": \"user_created\"}, \"actions\": [{\"action_type\": \"assign_conversation\", \"strategy\": \"random\"}]}|actions[0].strategy"
    })
    void invalidDocumentsAreRefusedNamingTheField(String document, String field) {
        given().header("Authorization", AGENT).contentType(ContentType.JSON).body(document)
                .post("/api/workflows").then().statusCode(400).body("field", equalTo(field)).body("error", notNullValue());
    }

    @Test
    void agentsReadWorkflowsAndOnlyAdminsChangeThem() {
        given().contentType(ContentType.JSON).body(SeedWorkflows.HUMAN_HANDOFF).post("/api/workflows").then().statusCode(401);
        given().header("Authorization", "Bearer nope").contentType(ContentType.JSON).body(SeedWorkflows.HUMAN_HANDOFF)
                .post("/api/workflows").then().statusCode(401).body("error", equalTo("invalid or expired token"));
        given().header("Authorization", AGENT).get("/api/workflows/not-a-uuid").then().statusCode(404);

        String agent = "Bearer " + TestKeys.agentToken("Sam", "agent");
        String admin = "Bearer " + TestKeys.agentToken("Kim", "admin");
        String id = create(SeedWorkflows.HUMAN_HANDOFF);
        given().header("Authorization", agent).get("/api/workflows").then().statusCode(200).body("id", hasItem(id));
        given().header("Authorization", agent).get("/api/workflows/{id}/executions", id).then().statusCode(200);
        given().header("Authorization", agent).contentType(ContentType.JSON).body(SeedWorkflows.HUMAN_HANDOFF)
                .post("/api/workflows").then().statusCode(403);
        given().header("Authorization", agent).contentType(ContentType.JSON).body(SeedWorkflows.HUMAN_HANDOFF.replace("\"ACTIVE\"", "\"INACTIVE\""))
                .put("/api/workflows/{id}", id).then().statusCode(403);
        given().header("Authorization", agent).delete("/api/workflows/{id}", id).then().statusCode(403);
        given().header("Authorization", AGENT).get("/api/workflows/{id}", id).then().statusCode(200).body("status", equalTo("ACTIVE"));
        String customer = "Bearer " + TestKeys.customerToken(java.util.UUID.randomUUID().toString());
        given().header("Authorization", customer).get("/api/workflows").then().statusCode(403);
        given().header("Authorization", admin).delete("/api/workflows/{id}", id).then().statusCode(204);
    }

    @Test
    void assignmentActionsAreNormalized() {
        String agentId = java.util.UUID.randomUUID().toString();
        String id = create("{\"name\": \"assign\", \"status\": \"INACTIVE\", \"trigger\": {\"when_type\": \"conversation_created\"}, "
                + "\"actions\": [{\"action_type\": \"assign_conversation\", \"configuration\": {\"agent_id\": \"" + agentId + "\"}}, "
                + "{\"action_type\": \"assign_conversation\", \"strategy\": \"round_robin\"}]}");
        given().header("Authorization", AGENT).get("/api/workflows/{id}", id).then().statusCode(200)
                .body("actions[0].agent_id", equalTo(agentId)).body("actions[1].strategy", equalTo("round_robin"));
    }

    /** A workflow document with {@code count} distinct keywords of about {@code length} characters each. */
    private static String withKeywords(int count, int length) {
        StringBuilder keywords = new StringBuilder();
        for (int i = 0; i < count; i++) {
            String word = ("k" + i + "x".repeat(length)).substring(0, length);
            keywords.append(i == 0 ? "" : ",").append('"').append(word).append('"');
        }
        return "{\"name\": \"many keywords\", \"trigger\": {\"when_type\": \"receive_message\", \"keywords\": [" + keywords
                + "]}, \"actions\": [{\"action_type\": \"add_tag\", \"tag\": \"many\"}]}";
    }

    @Test
    void veryLargeKeywordListsAreBoundedAndNothingIsStoredPastTheBound() {
        int before = given().header("Authorization", AGENT).get("/api/workflows").then().statusCode(200).extract().path("size()");
        // the most a workflow may list: 1,000 keywords of up to 100 characters each, accepted whole
        String id = create(withKeywords(WorkflowValidator.MAX_KEYWORDS, 100));
        given().header("Authorization", AGENT).get("/api/workflows/{id}", id).then().statusCode(200)
                .body("trigger.keywords.size()", equalTo(WorkflowValidator.MAX_KEYWORDS));
        // one more keyword, or one longer keyword, is refused naming the field
        given().header("Authorization", AGENT).contentType(ContentType.JSON).body(withKeywords(WorkflowValidator.MAX_KEYWORDS + 1, 10))
                .post("/api/workflows").then().statusCode(400).body("field", equalTo("trigger.keywords"));
        given().header("Authorization", AGENT).contentType(ContentType.JSON).body(withKeywords(3, 101))
                .post("/api/workflows").then().statusCode(400).body("field", equalTo("trigger.keywords[0]"));
        // a document past the body limit (256 KiB) is refused before it is parsed
        given().header("Authorization", AGENT).contentType(ContentType.JSON).body(withKeywords(3_000, 99))
                .post("/api/workflows").then().statusCode(413);
        given().header("Authorization", AGENT).get("/api/workflows").then().statusCode(200).body("size()", equalTo(before + 1));
        given().header("Authorization", AGENT).delete("/api/workflows/{id}", id).then().statusCode(204);
    }
}
