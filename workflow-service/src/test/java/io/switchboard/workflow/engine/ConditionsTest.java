package io.switchboard.workflow.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.switchboard.contracts.Json;
import io.switchboard.workflow.domain.ConditionOperator;
import io.switchboard.workflow.domain.WorkflowSpec;

/** Every operator against present, missing, numeric, textual and list values of an event. */
class ConditionsTest {
    private static final ObjectNode EVENT = event();

    private static ObjectNode event() {
        ObjectNode data = Json.object();
        ObjectNode contact = data.putObject("contact").put("first_name", "Ana").put("email", "ana@example.com").put("phone", "");
        contact.putObject("attributes").put("plan", "premium").put("age", 42).put("score", "7.5");
        data.putObject("conversation").put("status", "open").putArray("tags").add("vip").add("billing");
        data.putObject("message").put("content", "I want a REFUND please");
        return data;
    }

    private static JsonNode value(String json) {
        try {
            return json == null ? null : Json.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource(delimiter = '|', value = {
            "contact.first_name|equals|\"ana\"|true",
            "contact.plan|equals|\"premium\"|true",
            "user.plan|equals|\"basic\"|false",
            "contact.attributes.age|equals|42|true",
            "contact.attributes.age|greater_than|40|true",
            "contact.attributes.age|less_than|40|false",
            "contact.attributes.score|greater_than|7|true",
            "contact.first_name|greater_than|1|false",
            "contact.missing|not_equals|\"x\"|true",
            "contact.first_name|not_equals|\"Ana\"|false",
            "message.content|contains|\"refund\"|true",
            "message.content|starts_with|\"i want\"|true",
            "message.content|starts_with|\"refund\"|false",
            "conversation.tags|contains|\"VIP\"|true",
            "conversation.tags|contains|\"sales\"|false",
            "conversation.status|in|[\"open\",\"pending\"]|true",
            "conversation.status|in|[\"closed\"]|false",
            "contact.email|exists||true",
            "contact.phone|exists||false",
            "contact.missing|exists||false",
            "contact.missing|equals|\"x\"|false"
    })
    void operators(String field, String operator, String expected, boolean holds) {
        var condition = new WorkflowSpec.Condition(field, ConditionOperator.parse(operator).orElseThrow(), value(expected));
        assertEquals(holds, Conditions.allHold(List.of(condition), EVENT));
    }

    @ParameterizedTest
    @CsvSource({ "true", "false" })
    void allMustHold(boolean secondHolds) {
        var first = new WorkflowSpec.Condition("contact.plan", ConditionOperator.EQUALS, value("\"premium\""));
        var second = new WorkflowSpec.Condition("conversation.status", ConditionOperator.EQUALS, value(secondHolds ? "\"open\"" : "\"closed\""));
        assertEquals(secondHolds, Conditions.allHold(List.of(first, second), EVENT));
    }
}
