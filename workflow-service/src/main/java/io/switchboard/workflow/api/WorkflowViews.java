package io.switchboard.workflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.switchboard.contracts.Json;
import io.switchboard.workflow.domain.Execution;
import io.switchboard.workflow.domain.Workflow;

/** The JSON the API returns for workflows and executions: the stored document with its id and times. */
final class WorkflowViews {
    private WorkflowViews() {
    }

    static ObjectNode of(Workflow workflow) {
        ObjectNode view = Json.object().put("id", workflow.id.toString());
        view.setAll((ObjectNode) tree(workflow.document));
        return view.put("created_at", workflow.createdAt.toString()).put("updated_at", workflow.updatedAt.toString());
    }

    static ObjectNode of(Execution execution) {
        ObjectNode view = Json.object().put("id", execution.id.toString()).put("workflow_id", execution.workflowId.toString())
                .put("event_id", execution.eventId).put("event_type", execution.eventType)
                .put("conversation_id", execution.conversationId).put("outcome", execution.outcome)
                .put("depth", execution.depth).put("started_at", execution.startedAt.toString())
                .put("duration_ms", execution.durationMs);
        view.set("actions", tree(execution.actions));
        view.set("event", tree(execution.event));
        return view;
    }

    private static JsonNode tree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored JSON is unreadable", e);
        }
    }
}
