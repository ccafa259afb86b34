package io.switchboard.workflow.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.switchboard.contracts.AiControl;
import io.switchboard.contracts.AssignmentStrategy;
import io.switchboard.contracts.Cause;
import io.switchboard.contracts.CommandType;
import io.switchboard.contracts.Json;
import io.switchboard.contracts.MessageContent;
import io.switchboard.contracts.MessageType;
import io.switchboard.contracts.Topics;
import io.switchboard.contracts.WorkflowAction;

/** Each action type becomes its command, on its topic, with templates rendered and an id stable across reruns. */
class ActionCommandsTest {
    private static final ActionCommands.Origin ORIGIN = new ActionCommands.Origin("conv-1", "wf-1", "Premium", "exec-1",
            new Cause("ev-1", "wf-1", "exec-1", 1));
    private static final ObjectNode CONTEXT = context();

    private static ObjectNode context() {
        ObjectNode context = Json.object();
        context.putObject("user").put("first_name", "Ana");
        return context;
    }

    private static Command command(WorkflowAction action) {
        return ActionCommands.command(action, 3, ORIGIN, CONTEXT);
    }

    @Test
    void controlGoesToAiServiceWithThePromptRenderedAsInstructions() {
        Command command = command(new WorkflowAction.ControlAi(AiControl.CUSTOM_PROMPT, "Help {{user.first_name}}"));
        assertEquals(CommandType.CONTROL_AI_RESPONSE, command.type());
        assertEquals(Topics.AI_COMMANDS, command.type().topic());
        assertEquals("custom_prompt", command.envelope().text("action"));
        assertEquals("Help \"Ana\"", command.envelope().text("custom_prompt"), "customer values are quoted as data in a prompt");
        assertEquals("conv-1", command.envelope().subject());
        assertEquals(ORIGIN.cause(), command.envelope().cause(), "the command carries the execution's cause as it is");
        assertFalse(command(new WorkflowAction.ControlAi(AiControl.DISABLE, null)).envelope().data().has("custom_prompt"));
    }

    @Test
    void contextValuesAreRendered() {
        Command command = command(new WorkflowAction.UpdateAiContext(Json.object().put("greeting", "hi {{user.first_name}}").put("n", 2)));
        assertEquals(CommandType.UPDATE_AI_CONTEXT, command.type());
        assertEquals("hi Ana", command.envelope().data().path("context_data").path("greeting").asText());
        assertEquals(2, command.envelope().data().path("context_data").path("n").asInt());
    }

    @Test
    void aMessageCarriesItsWorkflowAndAnIdempotencyKey() {
        Command command = command(new WorkflowAction.SendMessage("Hello {{user.first_name}}!", MessageType.AI));
        assertEquals(Topics.CHAT_COMMANDS, command.type().topic());
        var data = command.envelope().data();
        assertEquals("Hello Ana!", data.path("content").asText());
        assertEquals("AI", data.path("message_type").asText());
        assertEquals("workflow", data.path("sender_type").asText());
        assertEquals(command.envelope().id(), data.path("idempotency_key").asText());
        assertEquals("Premium", data.path("metadata").path("workflow_name").asText());
    }

    @Test
    void aMessageFilledPastWhatChatServiceStoresIsShortenedNotRefused() {
        ObjectNode context = Json.object();
        context.putObject("event").putObject("data").putObject("message").put("content", "word ".repeat(1_000));
        Command command = ActionCommands.command(new WorkflowAction.SendMessage("You wrote: {{event.data.message.content}}", MessageType.SUPPORT),
                3, ORIGIN, context);
        String content = command.envelope().text("content");
        assertTrue(content.length() <= MessageContent.MAX_LENGTH, "at most one message: " + content.length());
        assertTrue(content.startsWith("You wrote: word word") && content.endsWith("word\u2026"), content);
    }

    @Test
    void aTagFilledInBlankOrTooLongFailsTheActionWithTheReason() {
        ObjectNode context = Json.object();
        context.putObject("user").put("first_name", "A".repeat(70)).put("last_name", " ");
        var tooLong = assertThrows(IllegalArgumentException.class,
                () -> ActionCommands.command(new WorkflowAction.AddTag("vip-{{user.first_name}}"), 3, ORIGIN, context));
        assertEquals("tag filled in with 74 characters: a tag has 1 to 64", tooLong.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ActionCommands.command(new WorkflowAction.RemoveTag("{{user.last_name}}"), 3, ORIGIN, context));
        assertEquals("vip", ActionCommands.command(new WorkflowAction.AddTag(" vip "), 3, ORIGIN, context).envelope().text("tag"));
    }

    @Test
    void statusTagsAndAssignment() {
        assertEquals("pending", command(new WorkflowAction.SetConversationStatus("pending")).envelope().text("status"));
        Command add = command(new WorkflowAction.AddTag("vip-{{user.first_name}}"));
        assertEquals(CommandType.ADD_TAG, add.type());
        assertEquals("vip-Ana", add.envelope().text("tag"));
        assertEquals(CommandType.REMOVE_TAG, command(new WorkflowAction.RemoveTag("new")).type());
        assertEquals("round_robin", command(new WorkflowAction.AssignConversation(null, AssignmentStrategy.ROUND_ROBIN)).envelope().text("strategy"));
        String agent = java.util.UUID.randomUUID().toString();
        assertEquals(agent, command(new WorkflowAction.AssignConversation(agent, null)).envelope().text("agent_id"));
    }

    @Test
    void theIdIsStablePerExecutionAndIndex() {
        var action = new WorkflowAction.AddTag("vip");
        assertEquals(ActionCommands.command(action, 0, ORIGIN, CONTEXT).envelope().id(), ActionCommands.command(action, 0, ORIGIN, CONTEXT).envelope().id());
        assertNotEquals(ActionCommands.command(action, 0, ORIGIN, CONTEXT).envelope().id(), ActionCommands.command(action, 1, ORIGIN, CONTEXT).envelope().id());
    }
}
