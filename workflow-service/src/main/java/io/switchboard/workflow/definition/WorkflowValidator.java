package io.switchboard.workflow.definition;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.switchboard.common.api.ApiException;
import io.switchboard.contracts.CommandTypes;
import io.switchboard.contracts.ConversationStatus;
import io.switchboard.contracts.Json;
import io.switchboard.workflow.template.Templates;

/**
 * Turns a workflow document into a {@link WorkflowSpec} or a 400 that names the failing field, e.g.
 * {@code actions[1].custom_prompt}. Accepts the seed's JSON as written, and its model field names
 * ({@code ai_control_action}, {@code ai_custom_prompt}, {@code ai_context_data}, {@code message_content}) as aliases.
 */
public final class WorkflowValidator {
    public static final Set<String> TRIGGERS = Set.of("receive_message", "conversation_created", "user_created", "tag_added",
            "tag_removed");
    public static final Set<String> ACTION_TYPES = Set.of("control_ai_response", "update_ai_context", "send_message",
            "set_conversation_status", "add_tag", "remove_tag", CommandTypes.ASSIGN_CONVERSATION);
    public static final Set<String> AI_CONTROLS = Set.of("disable", "enable", "custom_prompt", "reset_context");
    public static final Set<String> OPERATORS = Set.of("equals", "not_equals", "contains", "starts_with", "in", "exists",
            "greater_than", "less_than");
    private static final Map<String, String> MESSAGE_TYPES = Map.of("marketing", "marketing", "support", "support", "ai", "AI");
    private static final Map<String, String> ALIASES = Map.of("ai_control_action", "action", "ai_custom_prompt", "custom_prompt",
            "ai_context_data", "context_data", "message_content", "message");
    public static final int MAX_KEYWORDS = 1000;
    public static final int MAX_ACTIONS = 50;
    private static final int MAX_TEXT = 4096;

    private WorkflowValidator() {
    }

    public static WorkflowSpec validate(JsonNode document) {
        if (document == null || !document.isObject()) {
            throw bad("body", "a workflow document (JSON object) is required");
        }
        String name = text(document, "name");
        if (name == null || name.isBlank() || name.length() > 200) {
            throw bad("name", "name is required (1 to 200 characters)");
        }
        String status = text(document, "status");
        status = status == null ? Workflow.ACTIVE : status.toUpperCase(Locale.ROOT);
        if (!status.equals(Workflow.ACTIVE) && !status.equals(Workflow.INACTIVE)) {
            throw bad("status", "status must be ACTIVE or INACTIVE");
        }
        WorkflowSpec.Trigger trigger = trigger(document.get("trigger"));
        List<WorkflowSpec.Condition> conditions = conditions(document.get("conditions"));
        List<ObjectNode> actions = actions(document.get("actions"));

        ObjectNode normalized = Json.object().put("name", name.strip()).put("status", status);
        ObjectNode triggerNode = normalized.putObject("trigger").put("when_type", trigger.whenType());
        if (trigger.keywords() != null) {
            trigger.keywords().forEach(triggerNode.putArray("keywords")::add);
        }
        if (trigger.tag() != null) {
            triggerNode.put("tag", trigger.tag());
        }
        var conditionsNode = normalized.putArray("conditions");
        conditions.forEach(c -> conditionsNode.addObject().put("field", c.field()).put("operator", c.operator()).set("value", c.value()));
        actions.forEach(normalized.putArray("actions")::add);
        return new WorkflowSpec(name.strip(), status, trigger, conditions, actions, normalized);
    }

    private static WorkflowSpec.Trigger trigger(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw bad("trigger", "trigger is required: {\"when_type\": ...}");
        }
        String whenType = text(node, "when_type");
        if (whenType == null || !TRIGGERS.contains(whenType.toLowerCase(Locale.ROOT))) {
            throw bad("trigger.when_type", "trigger.when_type must be one of " + sorted(TRIGGERS));
        }
        whenType = whenType.toLowerCase(Locale.ROOT);
        List<String> keywords = null;
        if (whenType.equals("receive_message")) {
            JsonNode list = node.get("keywords");
            if (list == null || !list.isArray() || list.isEmpty()) {
                throw bad("trigger.keywords", "trigger.keywords must list at least one keyword for receive_message");
            }
            if (list.size() > MAX_KEYWORDS) {
                throw bad("trigger.keywords", "trigger.keywords may list at most " + MAX_KEYWORDS + " keywords");
            }
            keywords = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                JsonNode keyword = list.get(i);
                if (!keyword.isTextual() || KeywordText.tokens(keyword.asText()).isEmpty() || keyword.asText().length() > 100) {
                    throw bad("trigger.keywords[" + i + "]", "each keyword must contain a word (at most 100 characters)");
                }
                keywords.add(keyword.asText().strip());
            }
        }
        String tag = text(node, "tag");
        return new WorkflowSpec.Trigger(whenType, keywords, tag == null || tag.isBlank() ? null : tag.strip());
    }

    private static List<WorkflowSpec.Condition> conditions(JsonNode node) {
        List<WorkflowSpec.Condition> conditions = new ArrayList<>();
        if (node == null || node.isNull()) {
            return conditions;
        }
        if (!node.isArray()) {
            throw bad("conditions", "conditions must be a list");
        }
        for (int i = 0; i < node.size(); i++) {
            String at = "conditions[" + i + "]";
            JsonNode condition = node.get(i);
            String field = text(condition, "field");
            if (field == null || !field.matches("(contact|user|conversation|message)\\.[A-Za-z0-9_.\\-]+")) {
                throw bad(at + ".field", at + ".field must be contact.<field>, contact.attributes.<name>, conversation.<field> or message.content");
            }
            String operator = text(condition, "operator");
            if (operator == null || !OPERATORS.contains(operator)) {
                throw bad(at + ".operator", at + ".operator must be one of " + sorted(OPERATORS));
            }
            JsonNode value = condition.get("value");
            if (!operator.equals("exists") && (value == null || value.isNull())) {
                throw bad(at + ".value", at + ".value is required for " + operator);
            }
            if (operator.equals("in") && !value.isArray()) {
                throw bad(at + ".value", at + ".value must be a list for in");
            }
            if ((operator.equals("greater_than") || operator.equals("less_than")) && !value.isNumber()) {
                throw bad(at + ".value", at + ".value must be a number for " + operator);
            }
            conditions.add(new WorkflowSpec.Condition(field, operator, value));
        }
        return conditions;
    }

    private static List<ObjectNode> actions(JsonNode node) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw bad("actions", "actions must list at least one action");
        }
        if (node.size() > MAX_ACTIONS) {
            throw bad("actions", "a workflow may have at most " + MAX_ACTIONS + " actions");
        }
        List<ObjectNode> actions = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            actions.add(action(node.get(i), "actions[" + i + "]"));
        }
        return actions;
    }

    private static ObjectNode action(JsonNode node, String at) {
        if (node == null || !node.isObject()) {
            throw bad(at, at + " must be an object with an action_type");
        }
        ObjectNode action = ((ObjectNode) node).deepCopy();
        ALIASES.forEach((alias, name) -> {
            if (action.has(alias) && !action.has(name)) {
                action.set(name, action.get(alias));
            }
            action.remove(alias);
        });
        String type = text(action, "action_type");
        if (type == null || !ACTION_TYPES.contains(type)) {
            throw bad(at + ".action_type", at + ".action_type must be one of " + sorted(ACTION_TYPES));
        }
        switch (type) {
            case "control_ai_response" -> {
                String control = text(action, "action");
                if (control == null || !AI_CONTROLS.contains(control)) {
                    throw bad(at + ".action", at + ".action must be one of " + sorted(AI_CONTROLS));
                }
                if (control.equals("custom_prompt")) {
                    requireTemplate(action, "custom_prompt", at);
                }
            }
            case "update_ai_context" -> {
                JsonNode data = action.get("context_data");
                if (data == null || !data.isObject() || data.isEmpty()) {
                    throw bad(at + ".context_data", at + ".context_data must be an object with at least one entry");
                }
                Templates.problemIn(data).ifPresent(problem -> {
                    throw bad(at + ".context_data", at + ".context_data: " + problem);
                });
            }
            case "send_message" -> {
                requireTemplate(action, "message", at);
                String messageType = text(action, "message_type");
                String canonical = MESSAGE_TYPES.get((messageType == null ? "support" : messageType).toLowerCase(Locale.ROOT));
                if (canonical == null) {
                    throw bad(at + ".message_type", at + ".message_type must be marketing, support or AI");
                }
                action.put("message_type", canonical);
            }
            case "set_conversation_status" -> {
                String status = text(action.path("configuration"), "status");
                if (status == null) {
                    status = text(action, "status");
                }
                if (status == null || !ConversationStatus.ALL.contains(status)) {
                    throw bad(at + ".configuration.status", at + ".configuration.status must be one of " + ConversationStatus.ALL);
                }
                action.putObject("configuration").put("status", status);
                action.remove("status");
            }
            case CommandTypes.ASSIGN_CONVERSATION -> {
                // {"agent_id": "..."} or {"strategy": "round_robin"}, at the top or under configuration
                JsonNode source = action.has("configuration") ? action.get("configuration") : action;
                String agentId = text(source, "agent_id");
                String strategy = text(source, "strategy");
                if ((agentId == null) == (strategy == null)) {
                    throw bad(at + ".agent_id", at + " needs exactly one of agent_id or strategy \"" + CommandTypes.ROUND_ROBIN + "\"");
                }
                if (strategy != null && !strategy.equals(CommandTypes.ROUND_ROBIN)) {
                    throw bad(at + ".strategy", at + ".strategy must be \"" + CommandTypes.ROUND_ROBIN + "\"");
                }
                if (agentId != null && !isUuid(agentId)) {
                    throw bad(at + ".agent_id", at + ".agent_id must be an agent id");
                }
                action.remove("configuration");
                action.remove(List.of("agent_id", "strategy"));
                if (agentId != null) {
                    action.put("agent_id", agentId);
                } else {
                    action.put("strategy", strategy);
                }
            }
            default -> { // add_tag, remove_tag
                String tag = text(action.path("configuration"), "tag");
                if (tag == null) {
                    tag = text(action, "tag");
                }
                if (tag == null || tag.isBlank() || tag.length() > 64) {
                    throw bad(at + ".tag", at + ".tag must have 1 to 64 characters");
                }
                action.put("tag", tag.strip());
                action.remove("configuration");
            }
        }
        return action;
    }

    private static void requireTemplate(ObjectNode action, String field, String at) {
        String value = text(action, field);
        if (value == null || value.isBlank()) {
            throw bad(at + "." + field, at + "." + field + " is required");
        }
        if (value.length() > MAX_TEXT) {
            throw bad(at + "." + field, at + "." + field + " is longer than " + MAX_TEXT + " characters");
        }
        Templates.problem(value).ifPresent(problem -> {
            throw bad(at + "." + field, at + "." + field + ": " + problem);
        });
    }

    private static boolean isUuid(String value) {
        try {
            java.util.UUID.fromString(value);
            return value.length() == 36;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || !value.isTextual() ? null : value.asText();
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }

    private static ApiException bad(String field, String message) {
        return ApiException.badRequest(field, message);
    }
}
