package io.switchboard.workflow.domain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.switchboard.common.domain.DomainException;
import io.switchboard.contracts.ActionType;
import io.switchboard.contracts.AiControl;
import io.switchboard.contracts.AssignmentStrategy;
import io.switchboard.contracts.ConversationStatus;
import io.switchboard.contracts.Json;
import io.switchboard.contracts.MessageContent;
import io.switchboard.contracts.MessageType;
import io.switchboard.contracts.TriggerType;
import io.switchboard.contracts.WireName;
import io.switchboard.contracts.WorkflowAction;
import io.switchboard.common.template.Templates;

/**
 * Parses a workflow document into a {@link WorkflowSpec}, or refuses it with the failing field named, e.g.
 * {@code actions[1].custom_prompt}. Accepts the seed's JSON as written, and its model field names
 * ({@code ai_control_action}, {@code ai_custom_prompt}, {@code ai_context_data}, {@code message_content}) as aliases.
 */
public final class WorkflowValidator {
    /** Condition fields: a field of the contact (or its attributes), of the conversation, or the message's content. */
    public static final String CONDITION_FIELD_PATTERN = "(contact|user|conversation|message)\\.[A-Za-z0-9_.\\-]+";
    /** Actions whose fields may also sit under {@code configuration}, as the seed's model writes them. */
    private static final Set<ActionType> CONFIGURABLE = Set.of(ActionType.SET_CONVERSATION_STATUS, ActionType.ADD_TAG,
            ActionType.REMOVE_TAG, ActionType.ASSIGN_CONVERSATION);
    private static final Map<String, String> ALIASES = Map.of("ai_control_action", "action", "ai_custom_prompt", "custom_prompt",
            "ai_context_data", "context_data", "message_content", "message");
    /** Read-only fields of a stored workflow, which a client may send back unchanged. */
    private static final Set<String> READ_ONLY = Set.of("id", "created_at", "updated_at");
    public static final int MAX_KEYWORDS = 1000;
    public static final int MAX_ACTIONS = 50;
    public static final int MAX_TEXT = MessageContent.MAX_LENGTH;
    public static final int MAX_TAG = 64;

    private WorkflowValidator() {
    }

    public static WorkflowSpec validate(JsonNode document) {
        if (document == null || !document.isObject()) {
            throw bad("body", "a workflow document (JSON object) is required");
        }
        onlyFields(document, Set.of("name", "status", "trigger", "conditions", "actions"), READ_ONLY, "");
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
        List<WorkflowAction> actions = actions(document.get("actions"));

        ObjectNode normalized = Json.object().put("name", name.strip()).put("status", status);
        ObjectNode triggerNode = normalized.putObject("trigger").put("when_type", trigger.whenType().wire());
        if (trigger.whenType() == TriggerType.RECEIVE_MESSAGE) {
            trigger.keywords().forEach(triggerNode.putArray("keywords")::add);
        }
        if (trigger.tag() != null) {
            triggerNode.put("tag", trigger.tag());
        }
        if (trigger.idle() != null) {
            triggerNode.put("minutes", trigger.idle().minutes()).put("waiting_on", trigger.idle().waitingOn().wire());
        }
        var conditionsNode = normalized.putArray("conditions");
        conditions.forEach(c -> conditionsNode.addObject().put("field", c.field()).put("operator", c.operator().wire()).set("value", c.value()));
        actions.forEach(action -> normalized.withArray("actions").add(action.toDocument()));
        return new WorkflowSpec(name.strip(), status, trigger, conditions, actions, normalized);
    }

    /**
     * A stored document, saved by an older version that kept fields it did not know: those are dropped rather than
     * refused, so an upgrade never switches a working workflow off. Everything else is checked as on save.
     */
    public static WorkflowSpec validateStored(JsonNode document) {
        if (document == null || !document.isObject()) {
            return validate(document);
        }
        ObjectNode copy = ((ObjectNode) document).deepCopy();
        copy.retain("name", "status", "trigger", "conditions", "actions");
        if (copy.get("trigger") instanceof ObjectNode trigger) {
            TriggerType.parse(text(trigger, "when_type")).ifPresent(type -> {
                Set<String> known = new java.util.HashSet<>(fieldNames(Vocabulary.TRIGGER_FIELDS.get(type)));
                known.add("when_type");
                trigger.retain(known);
            });
        }
        copy.path("conditions").forEach(condition -> {
            if (condition instanceof ObjectNode object) {
                object.retain("field", "operator", "value");
            }
        });
        copy.path("actions").forEach(action -> {
            if (action instanceof ObjectNode object) {
                ActionType.parse(text(object, "action_type")).ifPresent(type -> {
                    Set<String> known = new java.util.HashSet<>(fieldNames(Vocabulary.ACTION_FIELDS.get(type)));
                    known.addAll(ALIASES.keySet());
                    known.addAll(List.of("action_type", "configuration"));
                    object.retain(known);
                });
            }
        });
        return validate(copy);
    }

    private static WorkflowSpec.Trigger trigger(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw bad("trigger", "trigger is required: {\"when_type\": ...}");
        }
        String whenTypeText = text(node, "when_type");
        TriggerType whenType = TriggerType.parse(whenTypeText == null ? null : whenTypeText.toLowerCase(Locale.ROOT))
                .orElseThrow(() -> bad("trigger.when_type", "trigger.when_type must be one of " + names(TriggerType.values())));
        onlyFields(node, fieldNames(Vocabulary.TRIGGER_FIELDS.get(whenType)), Set.of("when_type"), "trigger.");
        List<String> keywords = List.of();
        JsonNode list = node.get("keywords");
        if (whenType == TriggerType.RECEIVE_MESSAGE && list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw bad("trigger.keywords", "trigger.keywords must be a list (empty or left out: every customer message)");
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
        if (tag != null && tag.strip().length() > MAX_TAG) {
            throw bad("trigger.tag", "trigger.tag must have at most " + MAX_TAG + " characters");
        }
        WorkflowSpec.Idle idle = null;
        if (whenType == TriggerType.CONVERSATION_IDLE) {
            int minutes = wholeNumber(node.get("minutes"), "trigger.minutes", 1, Vocabulary.MAX_IDLE_MINUTES);
            WaitingOn waitingOn = WaitingOn.parse(text(node, "waiting_on")).orElseThrow(() -> bad("trigger.waiting_on",
                    "trigger.waiting_on must be one of " + names(WaitingOn.values())));
            idle = new WorkflowSpec.Idle(minutes, waitingOn);
        }
        return new WorkflowSpec.Trigger(whenType, keywords, tag == null || tag.isBlank() ? null : tag.strip(), idle);
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
            if (!condition.isObject()) {
                throw bad(at, at + " must be an object with field, operator and value");
            }
            onlyFields(condition, Set.of("field", "operator", "value"), Set.of(), at + ".");
            String field = text(condition, "field");
            if (field == null || !field.matches(CONDITION_FIELD_PATTERN)) {
                throw bad(at + ".field", at + ".field must be contact.<field>, contact.attributes.<name>, conversation.<field> or message.content");
            }
            ConditionOperator operator = ConditionOperator.parse(text(condition, "operator"))
                    .orElseThrow(() -> bad(at + ".operator", at + ".operator must be one of " + names(ConditionOperator.values())));
            JsonNode value = condition.get("value");
            if (operator.takesValue() && (value == null || value.isNull())) {
                throw bad(at + ".value", at + ".value is required for " + operator.wire());
            }
            if (operator == ConditionOperator.IN && !value.isArray()) {
                throw bad(at + ".value", at + ".value must be a list for in");
            }
            if (operator.takesNumber() && !value.isNumber()) {
                throw bad(at + ".value", at + ".value must be a number for " + operator.wire());
            }
            conditions.add(new WorkflowSpec.Condition(field, operator, operator.takesValue() ? value : null));
        }
        return conditions;
    }

    private static List<WorkflowAction> actions(JsonNode node) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw bad("actions", "actions must list at least one action");
        }
        if (node.size() > MAX_ACTIONS) {
            throw bad("actions", "a workflow may have at most " + MAX_ACTIONS + " actions");
        }
        List<WorkflowAction> actions = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            actions.add(action(node.get(i), "actions[" + i + "]"));
        }
        if (actions.get(actions.size() - 1) instanceof WorkflowAction.Wait) {
            throw bad("actions[" + (actions.size() - 1) + "]", "a wait must have actions after it: they are what runs when it ends");
        }
        return actions;
    }

    /** One action, parsed; exposed for tests of single actions. */
    public static WorkflowAction action(JsonNode node, String at) {
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
        ActionType type = ActionType.parse(text(action, "action_type"))
                .orElseThrow(() -> bad(at + ".action_type", at + ".action_type must be one of " + names(ActionType.values())));
        Set<String> allowed = new java.util.HashSet<>(fieldNames(Vocabulary.ACTION_FIELDS.get(type)));
        if (CONFIGURABLE.contains(type)) {
            allowed.add("configuration");
        }
        onlyFields(action, allowed, Set.of("action_type"), at + ".");
        JsonNode configuration = action.path("configuration");
        return switch (type) {
            case CONTROL_AI_RESPONSE -> {
                AiControl control = AiControl.parse(text(action, "action"))
                        .orElseThrow(() -> bad(at + ".action", at + ".action must be one of " + names(AiControl.values())));
                if (control != AiControl.CUSTOM_PROMPT) {
                    yield new WorkflowAction.ControlAi(control, null);
                }
                if (action.has("variants")) {
                    if (action.has("custom_prompt")) {
                        throw bad(at + ".variants", at + " has a custom_prompt and variants: one prompt, or an A/B test of variants");
                    }
                    yield new WorkflowAction.ControlAi(control, null, variants(action.get("variants"), at + ".variants"));
                }
                yield new WorkflowAction.ControlAi(control, template(action, "custom_prompt", at));
            }
            case UPDATE_AI_CONTEXT -> {
                JsonNode data = action.get("context_data");
                if (data == null || !data.isObject() || data.isEmpty()) {
                    throw bad(at + ".context_data", at + ".context_data must be an object with at least one entry");
                }
                Templates.problemIn(data).ifPresent(problem -> {
                    throw bad(at + ".context_data", at + ".context_data: " + problem);
                });
                yield new WorkflowAction.UpdateAiContext((ObjectNode) data);
            }
            case SEND_MESSAGE -> {
                String message = template(action, "message", at);
                String messageType = text(action, "message_type");
                MessageType kind = MessageType.parse(messageType == null ? "support" : messageType)
                        .orElseThrow(() -> bad(at + ".message_type", at + ".message_type must be marketing, support or AI"));
                yield new WorkflowAction.SendMessage(message, kind);
            }
            case SET_CONVERSATION_STATUS -> {
                String status = firstText(configuration, action, "status");
                if (status == null || !ConversationStatus.ALL.contains(status)) {
                    throw bad(at + ".configuration.status", at + ".configuration.status must be one of " + ConversationStatus.ALL);
                }
                yield new WorkflowAction.SetConversationStatus(status);
            }
            case ADD_TAG, REMOVE_TAG -> {
                String tag = firstText(configuration, action, "tag");
                if (tag == null || tag.isBlank() || tag.length() > MAX_TAG) {
                    throw bad(at + ".tag", at + ".tag must have 1 to " + MAX_TAG + " characters");
                }
                Templates.problem(tag).ifPresent(problem -> {
                    throw bad(at + ".tag", at + ".tag: " + problem);
                });
                yield type == ActionType.ADD_TAG ? new WorkflowAction.AddTag(tag.strip()) : new WorkflowAction.RemoveTag(tag.strip());
            }
            case ASSIGN_CONVERSATION -> {
                // {"agent_id": "..."} or {"strategy": "round_robin"}, at the top or under configuration
                String agentId = firstText(configuration, action, "agent_id");
                String strategy = firstText(configuration, action, "strategy");
                String roundRobin = AssignmentStrategy.ROUND_ROBIN.wire();
                if ((agentId == null) == (strategy == null)) {
                    throw bad(at + ".agent_id", at + " needs exactly one of agent_id or strategy \"" + roundRobin + "\"");
                }
                if (agentId != null && !isUuid(agentId)) {
                    throw bad(at + ".agent_id", at + ".agent_id must be an agent id");
                }
                AssignmentStrategy chosen = strategy == null ? null : AssignmentStrategy.parse(strategy)
                        .orElseThrow(() -> bad(at + ".strategy", at + ".strategy must be \"" + roundRobin + "\""));
                yield new WorkflowAction.AssignConversation(agentId, chosen);
            }
            case WAIT -> new WorkflowAction.Wait(wholeNumber(action.get("seconds"), at + ".seconds", 1, Vocabulary.MAX_WAIT_SECONDS));
        };
    }

    private static List<WorkflowAction.PromptVariant> variants(JsonNode node, String at) {
        if (node == null || !node.isArray() || node.size() < 2 || node.size() > Vocabulary.MAX_VARIANTS) {
            throw bad(at, at + " must list 2 to " + Vocabulary.MAX_VARIANTS + " variants");
        }
        List<WorkflowAction.PromptVariant> variants = new ArrayList<>();
        Set<String> names = new java.util.HashSet<>();
        double total = 0;
        for (int i = 0; i < node.size(); i++) {
            String item = at + "[" + i + "]";
            JsonNode variant = node.get(i);
            if (!variant.isObject()) {
                throw bad(item, item + " must be an object with name, weight and custom_prompt");
            }
            onlyFields(variant, Set.of("name", "weight", "custom_prompt"), Set.of(), item + ".");
            String name = text(variant, "name");
            if (name == null || name.isBlank() || name.strip().length() > 64 || !names.add(name.strip())) {
                throw bad(item + ".name", item + ".name must be 1 to 64 characters and differ from the other variants'");
            }
            JsonNode weight = variant.get("weight");
            if (weight == null || !weight.isNumber() || weight.asDouble() < 0 || weight.asDouble() > 1_000_000) {
                throw bad(item + ".weight", item + ".weight must be a number from 0 to 1000000");
            }
            total += weight.asDouble();
            variants.add(new WorkflowAction.PromptVariant(name.strip(), weight.asDouble(), template((ObjectNode) variant, "custom_prompt", item)));
        }
        if (total <= 0) {
            throw bad(at, at + ": the weights must add up to more than 0");
        }
        return variants;
    }

    private static int wholeNumber(JsonNode node, String field, int min, int max) {
        if (node == null || !node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < min || node.asInt() > max) {
            throw bad(field, field + " must be a whole number from " + min + " to " + max);
        }
        return node.asInt();
    }

    private static Set<String> fieldNames(List<Vocabulary.Field> fields) {
        return fields.stream().map(Vocabulary.Field::name).collect(java.util.stream.Collectors.toSet());
    }

    private static String template(ObjectNode action, String field, String at) {
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
        return value;
    }

    /** Refuses a field the document's part does not have, so a misspelt field is an error, not silently dropped. */
    private static void onlyFields(JsonNode node, Set<String> allowed, Set<String> ignored, String at) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!allowed.contains(name) && !ignored.contains(name)) {
                throw bad(at + name, at + name + " is not a field here; expected " + allowed.stream().sorted().toList());
            }
        }
    }

    private static boolean isUuid(String value) {
        try {
            UUID.fromString(value);
            return value.length() == 36;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String firstText(JsonNode preferred, JsonNode fallback, String field) {
        String value = text(preferred, field);
        return value != null ? value : text(fallback, field);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || !value.isTextual() ? null : value.asText();
    }

    private static List<String> names(WireName[] values) {
        return Arrays.stream(values).map(WireName::wire).sorted().toList();
    }

    private static DomainException bad(String field, String message) {
        return DomainException.invalid(field, message);
    }
}
