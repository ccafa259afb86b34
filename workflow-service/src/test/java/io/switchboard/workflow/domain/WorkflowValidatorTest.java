package io.switchboard.workflow.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.switchboard.common.domain.DomainException;
import io.switchboard.contracts.AiControl;
import io.switchboard.contracts.AssignmentStrategy;
import io.switchboard.contracts.Json;
import io.switchboard.contracts.MessageType;
import io.switchboard.contracts.TriggerType;
import io.switchboard.contracts.WorkflowAction;

/** The validator alone: what it parses documents into, and which field it names when it refuses one. */
class WorkflowValidatorTest {

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text.replace('\'', '"'));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String refusedField(String document) {
        return assertThrows(DomainException.class, () -> WorkflowValidator.validate(json(document))).field();
    }

    @Test
    void parsesEveryActionTypeIntoItsRecord() {
        WorkflowSpec spec = WorkflowValidator.validate(json("""
                {'name': ' All ', 'trigger': {'when_type': 'RECEIVE_MESSAGE', 'keywords': [' refund ']},
                 'conditions': [{'field': 'contact.plan', 'operator': 'equals', 'value': 'premium'}],
                 'actions': [
                   {'action_type': 'control_ai_response', 'ai_control_action': 'custom_prompt', 'ai_custom_prompt': 'Be kind to {{user.first_name}}'},
                   {'action_type': 'update_ai_context', 'ai_context_data': {'tier': 'premium'}},
                   {'action_type': 'send_message', 'message_content': 'Hi', 'message_type': 'ai'},
                   {'action_type': 'set_conversation_status', 'status': 'pending'},
                   {'action_type': 'add_tag', 'configuration': {'tag': 'vip'}},
                   {'action_type': 'remove_tag', 'tag': 'new'},
                   {'action_type': 'assign_conversation', 'configuration': {'strategy': 'round_robin'}}]}"""));
        assertEquals("All", spec.name());
        assertEquals("ACTIVE", spec.status());
        assertEquals(TriggerType.RECEIVE_MESSAGE, spec.trigger().whenType());
        assertEquals(List.of("refund"), spec.trigger().keywords());
        assertEquals(ConditionOperator.EQUALS, spec.conditions().get(0).operator());
        assertEquals(List.of(
                new WorkflowAction.ControlAi(AiControl.CUSTOM_PROMPT, "Be kind to {{user.first_name}}"),
                new WorkflowAction.UpdateAiContext(Json.object().put("tier", "premium")),
                new WorkflowAction.SendMessage("Hi", MessageType.AI),
                new WorkflowAction.SetConversationStatus("pending"),
                new WorkflowAction.AddTag("vip"),
                new WorkflowAction.RemoveTag("new"),
                new WorkflowAction.AssignConversation(null, AssignmentStrategy.ROUND_ROBIN)), spec.actions());
    }

    @Test
    void theCanonicalDocumentParsesToItself() {
        WorkflowSpec first = WorkflowValidator.validate(json("""
                {'name': 'x', 'trigger': {'when_type': 'tag_added', 'tag': 'vip'},
                 'actions': [{'action_type': 'control_ai_response', 'action': 'disable'},
                             {'action_type': 'send_message', 'message': 'Hi', 'message_type': 'marketing'},
                             {'action_type': 'set_conversation_status', 'configuration': {'status': 'open'}}]}"""));
        WorkflowSpec again = WorkflowValidator.validate(first.document());
        assertEquals(first.document(), again.document());
        assertEquals(first.actions(), again.actions());
        assertEquals("vip", again.trigger().tag());
    }

    @Test
    void receiveMessageWithoutKeywordsMeansEveryMessage() {
        WorkflowSpec spec = WorkflowValidator.validate(json(
                "{'name': 'x', 'trigger': {'when_type': 'receive_message'}, 'actions': [{'action_type': 'add_tag', 'tag': 'seen'}]}"));
        assertTrue(spec.trigger().keywords().isEmpty());
        assertNull(spec.trigger().tag());
    }

    @Test
    void refusalsNameTheField() {
        String ok = "'actions': [{'action_type': 'add_tag', 'tag': 'a'}]";
        assertEquals("body", assertThrows(DomainException.class, () -> WorkflowValidator.validate(null)).field());
        assertEquals("name", refusedField("{'trigger': {'when_type': 'user_created'}, " + ok + "}"));
        assertEquals("status", refusedField("{'name': 'x', 'status': 'paused', 'trigger': {'when_type': 'user_created'}, " + ok + "}"));
        assertEquals("trigger", refusedField("{'name': 'x', " + ok + "}"));
        assertEquals("trigger.when_type", refusedField("{'name': 'x', 'trigger': {'when_type': 'midnight'}, " + ok + "}"));
        assertEquals("trigger.keywords[1]", refusedField("{'name': 'x', 'trigger': {'when_type': 'receive_message', 'keywords': ['a', '!!']}, " + ok + "}"));
        assertEquals("trigger.tag", refusedField("{'name': 'x', 'trigger': {'when_type': 'conversation_created', 'tag': 'a'}, " + ok + "}"));
        assertEquals("conditions[0].field", refusedField("{'name': 'x', 'trigger': {'when_type': 'user_created'}, 'conditions': [{'field': 'os.env', 'operator': 'exists'}], " + ok + "}"));
        assertEquals("conditions[0].value", refusedField("{'name': 'x', 'trigger': {'when_type': 'user_created'}, 'conditions': [{'field': 'contact.plan', 'operator': 'in', 'value': 'pro'}], " + ok + "}"));
        assertEquals("actions[0].action", refusedField("{'name': 'x', 'trigger': {'when_type': 'user_created'}, 'actions': [{'action_type': 'control_ai_response', 'action': 'mute'}]}"));
        assertEquals("actions[0].context_data", refusedField("{'name': 'x', 'trigger': {'when_type': 'user_created'}, 'actions': [{'action_type': 'update_ai_context', 'context_data': {}}]}"));
        assertEquals("actions[0].tag", refusedField("{'name': 'x', 'trigger': {'when_type': 'user_created'}, 'actions': [{'action_type': 'remove_tag', 'tag': '" + "t".repeat(65) + "'}]}"));
        assertEquals("actions[0].message", refusedField("{'name': 'x', 'trigger': {'when_type': 'user_created'}, 'actions': [{'action_type': 'send_message', 'message': '" + "m".repeat(4097) + "'}]}"));
        assertEquals("actions[0].color", refusedField("{'name': 'x', 'trigger': {'when_type': 'user_created'}, 'actions': [{'action_type': 'add_tag', 'tag': 'a', 'color': 'red'}]}"));
    }

    @Test
    void storedFieldsSentBackAreAccepted() {
        WorkflowSpec spec = WorkflowValidator.validate(json("{'id': 'x', 'created_at': 'then', 'updated_at': 'now', 'name': 'x', "
                + "'trigger': {'when_type': 'user_created'}, 'actions': [{'action_type': 'add_tag', 'tag': 'a'}]}"));
        assertTrue(!spec.document().has("id"), "read-only fields are not stored in the document");
    }

    @Test
    void aStoredDocumentWithFieldsAnOlderVersionKeptStillLoads() {
        JsonNode stored = json("""
                {"name": "Old", "status": "ACTIVE", "description": "from before",
                 "trigger": {"when_type": "user_created", "tag": "ignored"},
                 "conditions": [{"field": "contact.plan", "operator": "equals", "value": "pro", "note": "x"}],
                 "actions": [{"action_type": "add_tag", "tag": "seen", "color": "red"}]}""");
        assertThrows(DomainException.class, () -> WorkflowValidator.validate(stored), "a save refuses them");
        WorkflowSpec spec = WorkflowValidator.validateStored(stored);
        assertEquals(List.of(new WorkflowAction.AddTag("seen")), spec.actions());
        assertNull(spec.trigger().tag());
        assertEquals(1, spec.conditions().size());
    }
}
