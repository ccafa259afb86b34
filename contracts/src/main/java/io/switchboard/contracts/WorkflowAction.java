package io.switchboard.contracts;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One validated action of a workflow, parsed once from its document. Text fields hold templates
 * ({@code {{user.first_name}}}), rendered when the action runs. {@link #toDocument()} is the canonical JSON that the
 * API stores and returns, so a document read back and saved again is the same.
 */
public sealed interface WorkflowAction {
    default ActionType type() {
        return switch (this) {
            case ControlAi control -> ActionType.CONTROL_AI_RESPONSE;
            case UpdateAiContext update -> ActionType.UPDATE_AI_CONTEXT;
            case SendMessage send -> ActionType.SEND_MESSAGE;
            case SetConversationStatus set -> ActionType.SET_CONVERSATION_STATUS;
            case AddTag add -> ActionType.ADD_TAG;
            case RemoveTag remove -> ActionType.REMOVE_TAG;
            case AssignConversation assign -> ActionType.ASSIGN_CONVERSATION;
            case Wait wait -> ActionType.WAIT;
        };
    }

    /** The action in the workflow document's vocabulary. */
    default ObjectNode toDocument() {
        ObjectNode node = Json.object().put("action_type", type().wire());
        switch (this) {
            case ControlAi control -> {
                node.put("action", control.control().wire());
                if (control.customPrompt() != null) {
                    node.put("custom_prompt", control.customPrompt());
                }
                if (!control.variants().isEmpty()) {
                    var variants = node.putArray("variants");
                    control.variants().forEach(v -> variants.addObject().put("name", v.name()).put("weight", v.weight())
                            .put("custom_prompt", v.customPrompt()));
                }
            }
            case UpdateAiContext update -> node.set("context_data", update.contextData().deepCopy());
            case SendMessage send -> node.put("message", send.message()).put("message_type", send.messageType().wire());
            case SetConversationStatus set -> node.putObject("configuration").put("status", set.status());
            case AddTag add -> node.put("tag", add.tag());
            case RemoveTag remove -> node.put("tag", remove.tag());
            case AssignConversation assign -> {
                if (assign.agentId() != null) {
                    node.put("agent_id", assign.agentId());
                } else {
                    node.put("strategy", assign.strategy().wire());
                }
            }
            case Wait wait -> node.put("seconds", wait.seconds());
        }
        return node;
    }

    /**
     * {@code disable}, {@code enable}, {@code custom_prompt} (with its prompt, or an A/B test of {@code variants})
     * or {@code reset_context}.
     */
    record ControlAi(AiControl control, String customPrompt, List<PromptVariant> variants) implements WorkflowAction {
        public ControlAi(AiControl control, String customPrompt) {
            this(control, customPrompt, List.of());
        }
    }

    /** One arm of an A/B test of AI prompts: a conversation gets it with a probability of its share of the weights. */
    record PromptVariant(String name, double weight, String customPrompt) {
    }

    /** The actions after it run {@code seconds} later (durably; cancelled when the conversation is closed). */
    record Wait(int seconds) implements WorkflowAction {
    }

    /** Entries merged into the conversation's AI context; string values may be templates. */
    record UpdateAiContext(ObjectNode contextData) implements WorkflowAction {
    }

    record SendMessage(String message, MessageType messageType) implements WorkflowAction {
    }

    record SetConversationStatus(String status) implements WorkflowAction {
    }

    record AddTag(String tag) implements WorkflowAction {
    }

    record RemoveTag(String tag) implements WorkflowAction {
    }

    /** Exactly one of an agent id or a strategy. */
    record AssignConversation(String agentId, AssignmentStrategy strategy) implements WorkflowAction {
    }
}
