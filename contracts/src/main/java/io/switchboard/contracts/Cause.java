package io.switchboard.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Why a record exists: the event that led to it, the workflow and execution that acted on it, and how
 * many workflow hops deep the chain is. Workflows stop acting at a fixed depth, which cuts cycles.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Cause(
        @JsonProperty("event_id") String eventId,
        @JsonProperty("workflow_id") String workflowId,
        @JsonProperty("execution_id") String executionId,
        @JsonProperty("depth") int depth) {

    public static final Cause NONE = new Cause(null, null, null, 0);
}
