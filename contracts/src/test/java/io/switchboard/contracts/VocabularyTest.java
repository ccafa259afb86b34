package io.switchboard.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The wire names are the seed's and round-trip; every action maps to a command and every trigger to an event. */
class VocabularyTest {
    @Test
    void wireNamesRoundTrip() {
        for (Class<? extends Enum<?>> type : java.util.List.<Class<? extends Enum<?>>>of(EventType.class, CommandType.class,
                TriggerType.class, AiControl.class, ActionType.class, AssignmentStrategy.class, SenderType.class)) {
            for (Enum<?> constant : type.getEnumConstants()) {
                String wire = ((WireName) constant).wire();
                assertEquals(wire.toLowerCase(), wire);
                @SuppressWarnings({ "unchecked", "rawtypes" })
                Optional<?> parsed = WireName.parse((Class) type, wire);
                assertEquals(Optional.of(constant), parsed);
            }
        }
        assertEquals("message_received", EventType.MESSAGE_RECEIVED.wire());
        assertEquals(Optional.empty(), EventType.parse("nonsense"));
        assertEquals(Optional.empty(), CommandType.parse(null));
    }

    @Test
    void messageTypesAreWrittenAsTheSeedWritesThem() {
        assertEquals("AI", MessageType.AI.wire());
        assertEquals(Optional.of(MessageType.AI), MessageType.parse("ai"));
        assertEquals(Optional.of(MessageType.MARKETING), MessageType.parse("Marketing"));
        assertEquals(Optional.of(SenderType.AGENT), SenderType.parse("AGENT"));
    }

    @Test
    void everyActionHasACommandAndEveryTriggerAnEvent() {
        assertTrue(Arrays.stream(ActionType.values()).filter(a -> a != ActionType.WAIT)
                .allMatch(a -> a.command() != null && a.command().wire().equals(a.wire())));
        for (TriggerType trigger : TriggerType.values()) {
            assertEquals(Optional.of(trigger), TriggerType.firedBy(trigger.event()));
        }
        assertEquals(Optional.empty(), TriggerType.firedBy(EventType.MESSAGE_CREATED));
        assertEquals(Topics.AI_COMMANDS, CommandType.REPLY_REQUEST.topic());
        assertEquals(Topics.CHAT_COMMANDS, CommandType.ASSIGN_CONVERSATION.topic());
    }

    @Test
    void actionsWriteTheirCanonicalDocument() {
        var prompt = new WorkflowAction.ControlAi(AiControl.CUSTOM_PROMPT, "Be brief").toDocument();
        assertEquals("{\"action_type\":\"control_ai_response\",\"action\":\"custom_prompt\",\"custom_prompt\":\"Be brief\"}", Json.write(prompt));
        var status = new WorkflowAction.SetConversationStatus("pending").toDocument();
        assertEquals("pending", status.path("configuration").path("status").asText());
        var assign = new WorkflowAction.AssignConversation(null, AssignmentStrategy.ROUND_ROBIN).toDocument();
        assertEquals("round_robin", assign.path("strategy").asText());
    }
}
