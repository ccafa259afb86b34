package io.switchboard.workflow.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.switchboard.contracts.Cause;
import io.switchboard.contracts.CommandTypes;
import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.Json;
import io.switchboard.workflow.engine.CommandPublisher.Command;
import io.switchboard.workflow.engine.CommandPublisher.Target;
import io.switchboard.workflow.template.Templates;

/** Turns one validated action into the command that carries it out, with its templates rendered. */
public final class ActionRunner {
    public static final String SOURCE = "workflow-service";

    private ActionRunner() {
    }

    /**
     * The command for action number {@code index} of an execution. Its id derives from the execution and the index,
     * so a rerun after a redelivery makes the same command, which the receiver then skips.
     */
    public static Command command(ObjectNode action, int index, String conversationId, String workflowId, String workflowName,
            String executionId, Cause cause, JsonNode templateContext) {
        String id = Json.derivedId(executionId, Integer.toString(index));
        String type = action.get("action_type").asText();
        ObjectNode data = Json.object();
        return switch (type) {
            case "control_ai_response" -> {
                data.put("action", action.get("action").asText());
                if (action.hasNonNull("custom_prompt")) {
                    data.put("custom_prompt", Templates.renderAsInstructions(action.get("custom_prompt").asText(), templateContext));
                }
                yield new Command(Target.AI, Envelope.of(id, CommandTypes.CONTROL_AI_RESPONSE, SOURCE, conversationId, cause, data));
            }
            case "update_ai_context" -> {
                data.set("context_data", Templates.renderValues(action.get("context_data"), templateContext));
                yield new Command(Target.AI, Envelope.of(id, CommandTypes.UPDATE_AI_CONTEXT, SOURCE, conversationId, cause, data));
            }
            case "send_message" -> {
                data.put("content", Templates.render(action.get("message").asText(), templateContext))
                        .put("message_type", action.get("message_type").asText())
                        .put("sender_type", "workflow")
                        .put("idempotency_key", id);
                data.putObject("metadata").put("workflow_id", workflowId).put("workflow_name", workflowName)
                        .put("execution_id", executionId);
                yield new Command(Target.CHAT, Envelope.of(id, CommandTypes.SEND_MESSAGE, SOURCE, conversationId, cause, data));
            }
            case "set_conversation_status" -> {
                data.put("status", action.path("configuration").path("status").asText());
                yield new Command(Target.CHAT, Envelope.of(id, CommandTypes.SET_CONVERSATION_STATUS, SOURCE, conversationId, cause, data));
            }
            case "add_tag", "remove_tag" -> {
                data.put("tag", Templates.render(action.get("tag").asText(), templateContext));
                String commandType = type.equals("add_tag") ? CommandTypes.ADD_TAG : CommandTypes.REMOVE_TAG;
                yield new Command(Target.CHAT, Envelope.of(id, commandType, SOURCE, conversationId, cause, data));
            }
            case CommandTypes.ASSIGN_CONVERSATION -> {
                if (action.hasNonNull("agent_id")) {
                    data.put("agent_id", action.get("agent_id").asText());
                } else {
                    data.put("strategy", action.get("strategy").asText());
                }
                yield new Command(Target.CHAT, Envelope.of(id, CommandTypes.ASSIGN_CONVERSATION, SOURCE, conversationId, cause, data));
            }
            default -> throw new IllegalArgumentException("unknown action_type " + type);
        };
    }
}
