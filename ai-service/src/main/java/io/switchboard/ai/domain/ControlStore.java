package io.switchboard.ai.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.redis.datasource.RedisDataSource;
import io.switchboard.common.data.Jdbc;
import io.switchboard.contracts.AiControl;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.redis.datasource.value.ValueCommands;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.switchboard.ai.AiConfig;
import io.switchboard.contracts.Json;

/**
 * AI control and context per conversation, exactly under the seed's Redis keys so operators can read them with
 * redis-cli: {@code ai_control_{id}} = {@code {"ai_enabled": ..., "custom_prompt": ...}} and
 * {@code ai_context_{id}} = the context map, both with a TTL. Every write goes to PostgreSQL first; a read that
 * finds Redis empty rebuilds it from there, so a flush or restart of Redis never re-enables a disabled bot.
 */
@ApplicationScoped
public class ControlStore {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    /** How long Redis remembers that a conversation has the default state: not the control's TTL, so idle ones go. */
    static final Duration DEFAULT_REMEMBERED = Duration.ofHours(1);

    private final ValueCommands<String, String> values;
    /** For the read, the same command a pipelined read sends ({@link #readRequest}). */
    private final Redis commands;
    private final Jdbc jdbc;
    private final ConversationMemory memory;
    private final Event<AiStateChanged> changes;
    private final Duration ttl;

    ControlStore(RedisDataSource redis, Redis commands, DataSource dataSource, ConversationMemory memory, Event<AiStateChanged> changes, AiConfig config) {
        this.changes = changes;
        this.memory = memory;
        this.values = redis.value(String.class);
        this.commands = commands;
        this.jdbc = new Jdbc(dataSource);
        this.ttl = config.ai().controlTtl();
    }

    public static String controlKey(String conversationId) {
        return "ai_control_" + conversationId;
    }

    public static String contextKey(String conversationId) {
        return "ai_context_" + conversationId;
    }

    /** Applies a control action, a workflow's or an agent's; reset_context also forgets the recent turns. */
    public AiState control(String conversationId, AiControl action, String customPrompt, ControlSource source) {
        return control(conversationId, action, customPrompt, null, source);
    }

    /** As above, for a prompt that an A/B test's variant chose ({@code variant}: its workflow and name). */
    public AiState control(String conversationId, AiControl action, String customPrompt, ObjectNode variant, ControlSource source) {
        if (action == AiControl.RESET_CONTEXT) {
            memory.reset(conversationId);
        }
        AiState current = read(conversationId);
        AiState next = switch (action) {
            case DISABLE -> new AiState(false, source.wire(), current.customPrompt(), current.promptVariant(), current.context());
            // enable: back to default behaviour
            case ENABLE -> new AiState(true, null, null, null, current.context());
            // a persona for when the AI answers: it never switches back on an AI that a handoff or an agent switched off
            case CUSTOM_PROMPT -> current.withPrompt(customPrompt, variant);
            case RESET_CONTEXT -> current.withContext(Map.of());
        };
        return write(conversationId, next);
    }

    public AiState mergeContext(String conversationId, Map<String, Object> data) {
        AiState current = read(conversationId);
        Map<String, Object> merged = new LinkedHashMap<>(current.context());
        merged.putAll(data);
        return write(conversationId, current.withContext(merged));
    }

    /** The state, from Redis (both keys in one round trip); rebuilt from the durable copy when Redis has lost it. */
    public AiState read(String conversationId) {
        return state(conversationId, commands.sendAndAwait(readRequest(conversationId)));
    }

    /** The Redis command {@link #read} sends, for a caller that pipelines it with others; {@link #state} reads its reply. */
    public static Request readRequest(String conversationId) {
        return Request.cmd(Command.MGET).arg(controlKey(conversationId)).arg(contextKey(conversationId));
    }

    /** The state from the reply to {@link #readRequest}, as {@link #read} makes it. */
    public AiState state(String conversationId, Response both) {
        return state(conversationId, text(both.get(0)), text(both.get(1)));
    }

    private static String text(Response value) {
        return value == null ? null : value.toString();
    }

    private AiState state(String conversationId, String control, String context) {
        if (control == null && context == null) {
            return restore(conversationId);
        }
        ObjectNode controlNode = control == null ? Json.object() : (ObjectNode) Json.read(control);
        boolean enabled = !controlNode.has("ai_enabled") || controlNode.get("ai_enabled").asBoolean(true);
        String prompt = controlNode.hasNonNull("custom_prompt") ? controlNode.get("custom_prompt").asText() : null;
        String disabledBy = controlNode.hasNonNull("disabled_by") ? controlNode.get("disabled_by").asText() : null;
        ObjectNode variant = controlNode.get("prompt_variant") instanceof ObjectNode v ? v : null;
        Map<String, Object> contextMap = context == null ? Map.of() : Json.MAPPER.convertValue(Json.read(context), MAP);
        return new AiState(enabled, enabled ? null : disabledBy, prompt, variant, contextMap);
    }

    private AiState write(String conversationId, AiState state) {
        Instant now = Instant.now();
        jdbc.update("""
                insert into ai_state (conversation_id, ai_enabled, disabled_by, custom_prompt, prompt_variant, context, expires_at, updated_at)
                values (?, ?, ?, ?, cast(? as jsonb), cast(? as jsonb), ?, ?)
                on conflict (conversation_id) do update set ai_enabled = excluded.ai_enabled, disabled_by = excluded.disabled_by,
                  prompt_variant = excluded.prompt_variant,
                  custom_prompt = excluded.custom_prompt, context = excluded.context,
                  expires_at = excluded.expires_at, updated_at = excluded.updated_at""", conversationId, state.aiEnabled(),
                state.disabledBy(), state.customPrompt(), state.promptVariant() == null ? null : Json.write(state.promptVariant()),
                Json.write(state.context()),
                java.sql.Timestamp.from(now.plus(ttl)), java.sql.Timestamp.from(now));
        cache(conversationId, state, new SetArgs().px(Math.max(1, ttl.toMillis())));
        changes.fire(new AiStateChanged(conversationId, state));
        return state;
    }

    private void cache(String conversationId, AiState state, SetArgs args) {
        values.set(controlKey(conversationId), controlValue(state), args);
        values.set(contextKey(conversationId), Json.write(state.context()), args);
    }

    private static String controlValue(AiState state) {
        ObjectNode control = Json.object().put("ai_enabled", state.aiEnabled());
        control.put("custom_prompt", state.customPrompt());
        if (state.disabledBy() != null) {
            control.put("disabled_by", state.disabledBy());
        }
        if (state.promptVariant() != null) {
            control.set("prompt_variant", state.promptVariant());
        }
        return Json.write(control);
    }

    /**
     * Rebuilds Redis from the durable copy, or remembers the default state when there is none (most conversations:
     * nobody steered them), so that their next messages do not each cost a database read. Only where the keys are
     * still absent: a write that came in meanwhile set them (after its database write), and is newer than what was read.
     */
    private AiState restore(String conversationId) {
        List<Object[]> rows = jdbc.query(
                "select ai_enabled, custom_prompt, cast(context as text), expires_at, disabled_by, cast(prompt_variant as text) from ai_state where conversation_id = ? and expires_at > now()",
                row -> new Object[] { row.getBoolean(1), row.getString(2), row.getString(3), row.getTimestamp(4).toInstant(), row.getString(5), row.getString(6) },
                conversationId);
        if (rows.isEmpty()) {
            // the control key alone: a read that finds it and no context key reads an empty context
            values.set(controlKey(conversationId), controlValue(AiState.DEFAULT), new SetArgs().nx().px(DEFAULT_REMEMBERED.toMillis()));
            return AiState.DEFAULT;
        }
        Object[] row = rows.get(0);
        AiState state = new AiState((Boolean) row[0], (String) row[4], (String) row[1],
                row[5] == null ? null : (ObjectNode) Json.read((String) row[5]), Json.MAPPER.convertValue(Json.read((String) row[2]), MAP));
        cache(conversationId, state, new SetArgs().nx().px(Math.max(1, Duration.between(Instant.now(), (Instant) row[3]).toMillis())));
        return state;
    }
}
