package io.switchboard.ai.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.ai.reply.ReplyService;
import io.switchboard.contracts.AiControl;
import io.switchboard.testing.KafkaTestResource;
import io.switchboard.testing.OpenAiStubResource;
import io.switchboard.testing.PostgresTestResource;

/** The control store on the real Redis and PostgreSQL: the seed's semantics, and a handoff that survives losing Redis. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(OpenAiStubResource.class)
class ControlStoreTest {
    @Inject
    ControlStore store;
    @Inject
    ConversationMemory memory;
    @Inject
    RedisDataSource redis;
    @Inject
    ReplyService replies;

    private static String conversation() {
        return UUID.randomUUID().toString();
    }

    @Test
    void aNewConversationHasTheDefaultState() {
        AiState state = store.read(conversation());
        assertTrue(state.aiEnabled());
        assertNull(state.customPrompt());
        assertTrue(state.context().isEmpty());
    }

    @Test
    void aConversationNobodySteeredIsRememberedInRedisForAWhileAndAWriteStillWins() {
        String id = conversation();
        assertTrue(store.read(id).aiEnabled());
        // remembered, so the next messages do not each read the database
        assertTrue(redis.value(String.class).get("ai_control_" + id).contains("\"ai_enabled\":true"));
        long ttl = redis.key().pttl("ai_control_" + id);
        assertTrue(ttl > 0 && ttl <= ControlStore.DEFAULT_REMEMBERED.toMillis(), "remembered for at most an hour: " + ttl);
        assertNull(redis.value(String.class).get("ai_context_" + id));
        assertEquals(AiState.DEFAULT, store.read(id));

        store.control(id, AiControl.DISABLE, null, ControlSource.AGENT);
        assertFalse(store.read(id).aiEnabled());
        redis.key().del("ai_control_" + id, "ai_context_" + id);
        assertFalse(store.read(id).aiEnabled(), "rebuilt from the durable copy, not remembered as the default");
    }

    @Test
    void onlyEnableSwitchesAHandedOffAiBackOn() {
        String id = conversation();
        store.control(id, AiControl.DISABLE, null, ControlSource.AGENT);
        store.control(id, AiControl.CUSTOM_PROMPT, "Be brief", ControlSource.WORKFLOW);
        store.mergeContext(id, Map.of("tier", "premium"));
        store.control(id, AiControl.RESET_CONTEXT, null, ControlSource.WORKFLOW);
        AiState handedOff = store.read(id);
        assertFalse(handedOff.aiEnabled(), "custom_prompt, context and reset never re-enable");
        assertEquals("Be brief", handedOff.customPrompt(), "the prompt is kept for when the AI is on again");
        assertTrue(handedOff.context().isEmpty());
        assertEquals("agent", handedOff.disabledBy(), "an agent's switch-off is reported as the agent's");

        AiState enabled = store.control(id, AiControl.ENABLE, null, ControlSource.WORKFLOW);
        assertTrue(enabled.aiEnabled());
        assertNull(enabled.customPrompt(), "enable is the default behaviour: no custom prompt");
        assertNull(enabled.disabledBy());
    }

    @Test
    void contextIsMergedAndResetForgetsTheTurnsToo() {
        String id = conversation();
        store.mergeContext(id, Map.of("tier", "premium", "language", "en"));
        store.mergeContext(id, Map.of("language", "es"));
        assertEquals(Map.of("tier", "premium", "language", "es"), store.read(id).context());
        memory.remember(id, new ConversationMemory.Turn(UUID.randomUUID().toString(), "customer", "hola"));
        assertEquals(1, recent(id).size());
        store.control(id, AiControl.RESET_CONTEXT, null, ControlSource.WORKFLOW);
        assertTrue(store.read(id).context().isEmpty());
        assertTrue(recent(id).isEmpty());
    }

    @Test
    void theStateIsUnderTheSeedsKeysAndRebuiltWhenRedisLosesIt() {
        String id = conversation();
        store.control(id, AiControl.DISABLE, null, ControlSource.WORKFLOW);
        String control = redis.value(String.class).get("ai_control_" + id);
        assertTrue(control.contains("\"ai_enabled\":false"), control);
        redis.key().del("ai_control_" + id, "ai_context_" + id);
        assertFalse(store.read(id).aiEnabled(), "a flushed Redis never re-enables a disabled bot");
        assertEquals("workflow", store.read(id).disabledBy());
        assertTrue(redis.value(String.class).get("ai_control_" + id).contains("\"ai_enabled\":false"), "and the cache is rebuilt");
    }

    @Test
    void theAnswersReadAheadIsWhatTheReadsOneByOneGive() {
        String steered = conversation();
        store.control(steered, AiControl.DISABLE, null, ControlSource.WORKFLOW);
        store.mergeContext(steered, Map.of("tier", "premium"));
        memory.remember(steered, new ConversationMemory.Turn("m1", "customer", "hello"));
        memory.remember(steered, new ConversationMemory.Turn("m2", "ai", "hi"));
        String flushed = conversation();
        store.control(flushed, AiControl.CUSTOM_PROMPT, "Be brief.", ControlSource.WORKFLOW);
        redis.key().del(ControlStore.controlKey(flushed), ControlStore.contextKey(flushed));
        String fresh = conversation();

        Map<String, ReplyService.Inputs> inputs = replies.readAhead(List.of(steered, flushed, fresh, steered));

        assertEquals(Set.of(steered, flushed, fresh), inputs.keySet());
        assertFalse(inputs.get(steered).state().aiEnabled());
        assertEquals(Map.of("tier", "premium"), inputs.get(steered).state().context());
        assertEquals(List.of("hello", "hi"), inputs.get(steered).history().stream().map(ConversationMemory.Turn::content).toList());
        assertEquals("Be brief.", inputs.get(flushed).state().customPrompt(), "rebuilt from the durable copy when Redis lost it");
        assertEquals(new ReplyService.Inputs(AiState.DEFAULT, List.of()), inputs.get(fresh));
        for (String id : inputs.keySet()) {
            assertEquals(store.read(id), inputs.get(id).state(), id);
        }
    }

    private List<ConversationMemory.Turn> recent(String conversationId) {
        return replies.readAhead(List.of(conversationId)).get(conversationId).history();
    }
}
