package io.switchboard.workflow.domain;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.switchboard.contracts.ActionType;
import io.switchboard.contracts.AiControl;
import io.switchboard.contracts.AssignmentStrategy;
import io.switchboard.contracts.ConversationStatus;
import io.switchboard.contracts.Json;
import io.switchboard.contracts.MessageType;
import io.switchboard.contracts.TriggerType;
import io.switchboard.contracts.WireName;
import io.switchboard.common.template.Templates;

/**
 * The workflow document's vocabulary: every trigger and action with its fields, the condition fields and operators,
 * the template variables and filters. The validator accepts exactly these fields, and {@code GET
 * /api/workflows/vocabulary} serves them to the editor, which builds its forms from them: one source for both.
 */
public final class Vocabulary {
    /** A field of a trigger or an action: its kind (text, template, number, choice, object, list, variants) and limits. */
    public record Field(String name, String kind, List<String> values, boolean required, String help) {
        static Field of(String name, String kind, boolean required, String help) {
            return new Field(name, kind, List.of(), required, help);
        }

        static Field choice(String name, WireName[] values, boolean required, String help) {
            return new Field(name, "choice", Arrays.stream(values).map(WireName::wire).toList(), required, help);
        }
    }

    public static final int MAX_WAIT_SECONDS = 7 * 24 * 3600;
    public static final int MAX_IDLE_MINUTES = 30 * 24 * 60;
    public static final int MAX_VARIANTS = 10;

    public static final Map<TriggerType, List<Field>> TRIGGER_FIELDS = triggerFields();
    public static final Map<ActionType, List<Field>> ACTION_FIELDS = actionFields();
    /** Condition fields; {@code <name>} stands for any attribute name. */
    public static final List<String> CONDITION_FIELDS = List.of("contact.first_name", "contact.last_name", "contact.email",
            "contact.phone", "contact.verified", "contact.channel", "contact.<attribute>", "contact.attributes.<name>",
            "conversation.status", "conversation.channel", "conversation.tags", "conversation.assignee_id", "message.content");
    public static final List<String> TEMPLATE_VARIABLES = List.of("user.first_name", "user.last_name", "user.email",
            "user.<attribute>", "conversation.id", "conversation.status", "conversation.channel", "event.data.content");

    private Vocabulary() {
    }

    private static Map<TriggerType, List<Field>> triggerFields() {
        Map<TriggerType, List<Field>> fields = new LinkedHashMap<>();
        fields.put(TriggerType.RECEIVE_MESSAGE, List.of(Field.of("keywords", "list", false,
                "whole words or phrases, case-insensitive; none: every customer message")));
        fields.put(TriggerType.CONVERSATION_CREATED, List.of());
        fields.put(TriggerType.USER_CREATED, List.of());
        fields.put(TriggerType.TAG_ADDED, List.of(Field.of("tag", "text", false, "only this tag; empty: any tag")));
        fields.put(TriggerType.TAG_REMOVED, List.of(Field.of("tag", "text", false, "only this tag; empty: any tag")));
        fields.put(TriggerType.CONVERSATION_IDLE, List.of(
                Field.of("minutes", "number", true, "1 to " + MAX_IDLE_MINUTES + " minutes of waiting"),
                Field.choice("waiting_on", WaitingOn.values(), true, "agent: no agent answered the customer; customer: the customer did not answer")));
        return fields;
    }

    private static Map<ActionType, List<Field>> actionFields() {
        Map<ActionType, List<Field>> fields = new LinkedHashMap<>();
        fields.put(ActionType.CONTROL_AI_RESPONSE, List.of(
                Field.choice("action", AiControl.values(), true, "disable hands the conversation to a person until enable"),
                Field.of("custom_prompt", "template", false, "for custom_prompt: the AI's instructions"),
                Field.of("variants", "variants", false, "for custom_prompt instead of one prompt: an A/B test, 2 to "
                        + MAX_VARIANTS + " of {name, weight, custom_prompt}")));
        fields.put(ActionType.UPDATE_AI_CONTEXT, List.of(Field.of("context_data", "object", true, "entries merged into the AI's context; text may use templates")));
        fields.put(ActionType.SEND_MESSAGE, List.of(Field.of("message", "template", true, "the text, at most "
                + WorkflowValidator.MAX_TEXT + " characters"), Field.choice("message_type", MessageType.values(), false, "support when left out")));
        fields.put(ActionType.SET_CONVERSATION_STATUS, List.of(new Field("status", "choice", ConversationStatus.ALL, true,
                "written as configuration.status")));
        fields.put(ActionType.ADD_TAG, List.of(Field.of("tag", "template", true, "1 to " + WorkflowValidator.MAX_TAG + " characters")));
        fields.put(ActionType.REMOVE_TAG, List.of(Field.of("tag", "template", true, "1 to " + WorkflowValidator.MAX_TAG + " characters")));
        fields.put(ActionType.ASSIGN_CONVERSATION, List.of(Field.of("agent_id", "agent", false, "this agent, or"),
                Field.choice("strategy", AssignmentStrategy.values(), false, "the active agent assigned longest ago")));
        fields.put(ActionType.WAIT, List.of(Field.of("seconds", "number", true, "1 to " + MAX_WAIT_SECONDS
                + " (7 days); the actions after it run then, unless the conversation was closed")));
        return fields;
    }

    /** The whole vocabulary as the API serves it. */
    public static ObjectNode describe() {
        ObjectNode out = Json.object();
        ArrayNode triggers = out.putArray("triggers");
        TRIGGER_FIELDS.forEach((trigger, fields) -> triggers.addObject().put("when_type", trigger.wire())
                .set("fields", Json.MAPPER.valueToTree(fields)));
        ArrayNode actions = out.putArray("actions");
        ACTION_FIELDS.forEach((action, fields) -> actions.addObject().put("action_type", action.wire())
                .set("fields", Json.MAPPER.valueToTree(fields)));
        ObjectNode conditions = out.putObject("conditions");
        conditions.set("fields", Json.MAPPER.valueToTree(CONDITION_FIELDS));
        ArrayNode operators = conditions.putArray("operators");
        for (ConditionOperator operator : ConditionOperator.values()) {
            operators.addObject().put("operator", operator.wire())
                    .put("value", operator == ConditionOperator.IN ? "list" : operator.takesNumber() ? "number" : operator.takesValue() ? "any" : "none");
        }
        ObjectNode templates = out.putObject("templates");
        templates.set("variables", Json.MAPPER.valueToTree(TEMPLATE_VARIABLES));
        ArrayNode filters = templates.putArray("filters");
        Templates.FILTERS.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(filter -> filters.addObject().put("name", filter.getKey()).put("argument", filter.getValue()));
        out.set("statuses", Json.MAPPER.valueToTree(List.of(Workflow.ACTIVE, Workflow.INACTIVE)));
        return out;
    }
}
