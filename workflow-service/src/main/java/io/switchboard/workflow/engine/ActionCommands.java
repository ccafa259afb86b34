package io.switchboard.workflow.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.switchboard.contracts.Cause;
import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.Json;
import io.switchboard.contracts.MessageContent;
import io.switchboard.contracts.SenderType;
import io.switchboard.contracts.WorkflowAction;
import io.switchboard.common.template.Templates;
import io.switchboard.common.text.TextParts;
import io.switchboard.workflow.domain.WorkflowValidator;

/** Maps one workflow action to the command that carries it out, with its templates rendered for the event. */
public final class ActionCommands {
    public static final String SOURCE = "workflow-service";

    /** What one execution's commands share: where they go, why, and which workflow sent them. */
    public record Origin(String conversationId, String workflowId, String workflowName, String executionId, Cause cause) {
    }

    private ActionCommands() {
    }

    /**
     * The command for action number {@code index} of an execution. Its id derives from the execution and the index,
     * so a rerun after a redelivery makes the same command, which the receiver then skips.
     */
    public static Command command(WorkflowAction action, int index, Origin origin, JsonNode templateContext) {
        String id = Json.derivedId(origin.executionId(), Integer.toString(index));
        ObjectNode data = Json.object();
        switch (action) {
            case WorkflowAction.ControlAi control -> {
                data.put("action", control.control().wire());
                String prompt = control.customPrompt();
                if (!control.variants().isEmpty()) {
                    var variant = PromptVariants.choose(control.variants(), origin.workflowId(), origin.conversationId());
                    prompt = variant.customPrompt();
                    data.putObject("prompt_variant").put("workflow_id", origin.workflowId()).put("name", variant.name());
                }
                if (prompt != null) {
                    data.put("custom_prompt", Templates.renderAsInstructions(prompt, templateContext));
                }
            }
            case WorkflowAction.UpdateAiContext update -> data.set("context_data", Templates.renderValues(update.contextData(), templateContext));
            case WorkflowAction.SendMessage send -> {
                // the template is bounded, what fills it is not (a customer's whole message): one message chat-service stores
                data.put("content", TextParts.shortened(Templates.render(send.message(), templateContext), MessageContent.MAX_LENGTH))
                        .put("message_type", send.messageType().wire())
                        .put("sender_type", SenderType.WORKFLOW.wire())
                        .put("idempotency_key", id);
                data.putObject("metadata").put("workflow_id", origin.workflowId()).put("workflow_name", origin.workflowName())
                        .put("execution_id", origin.executionId());
            }
            case WorkflowAction.SetConversationStatus set -> data.put("status", set.status());
            case WorkflowAction.AddTag add -> data.put("tag", tag(add.tag(), templateContext));
            case WorkflowAction.RemoveTag remove -> data.put("tag", tag(remove.tag(), templateContext));
            case WorkflowAction.Wait wait -> throw new IllegalArgumentException("a wait is no command: the engine holds the actions after it");
            case WorkflowAction.AssignConversation assign -> {
                if (assign.agentId() != null) {
                    data.put("agent_id", assign.agentId());
                } else {
                    data.put("strategy", assign.strategy().wire());
                }
            }
        }
        var type = action.type().command();
        return new Command(type, Envelope.of(id, type, SOURCE, origin.conversationId(), origin.cause(), data));
    }

    /**
     * The tag filled in; one chat-service would refuse (blank, too long) fails here, where the execution's log shows it,
     * not in chat-service's dead-letter topic.
     */
    private static String tag(String template, JsonNode templateContext) {
        String tag = Templates.render(template, templateContext).strip();
        if (tag.isEmpty() || tag.length() > WorkflowValidator.MAX_TAG) {
            throw new IllegalArgumentException("tag filled in with " + tag.length() + " characters: a tag has 1 to " + WorkflowValidator.MAX_TAG);
        }
        return tag;
    }
}
