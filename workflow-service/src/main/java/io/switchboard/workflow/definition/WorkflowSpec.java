package io.switchboard.workflow.definition;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A validated workflow document, in the seed's vocabulary. */
public record WorkflowSpec(String name, String status, Trigger trigger, List<Condition> conditions, List<ObjectNode> actions,
        ObjectNode document) {

    public record Trigger(String whenType, List<String> keywords, String tag) {
    }

    public record Condition(String field, String operator, JsonNode value) {
    }
}
