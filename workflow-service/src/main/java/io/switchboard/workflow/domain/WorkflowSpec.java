package io.switchboard.workflow.domain;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.switchboard.contracts.TriggerType;
import io.switchboard.contracts.WorkflowAction;

/** A validated workflow document, parsed once; {@code document} is its canonical JSON (what is stored and returned). */
public record WorkflowSpec(String name, String status, Trigger trigger, List<Condition> conditions, List<WorkflowAction> actions,
        ObjectNode document) {

    /**
     * {@code keywords}: for receive_message, empty for every customer message; {@code tag}: for tag triggers, null for
     * any tag; {@code idle}: for conversation_idle only.
     */
    public record Trigger(TriggerType whenType, List<String> keywords, String tag, Idle idle) {
        public Trigger(TriggerType whenType, List<String> keywords, String tag) {
            this(whenType, keywords, tag, null);
        }
    }

    /** How long a conversation must have waited, and on whom. */
    public record Idle(int minutes, WaitingOn waitingOn) {
    }

    public record Condition(String field, ConditionOperator operator, JsonNode value) {
    }
}
