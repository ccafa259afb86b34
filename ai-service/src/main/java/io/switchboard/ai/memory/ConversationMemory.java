package io.switchboard.ai.memory;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.keys.KeyCommands;
import io.quarkus.redis.datasource.list.ListCommands;
import io.switchboard.ai.AiConfig;
import io.switchboard.contracts.Json;

/**
 * The recent turns of each conversation since its last reset, in Redis ({@code ai_memory_{id}}, a list trimmed to the
 * configured number of turns, with the control TTL). Fed by message_created events.
 */
@ApplicationScoped
public class ConversationMemory {
    public record Turn(String messageId, String senderType, String content) {
    }

    private final ListCommands<String, String> lists;
    private final KeyCommands<String> keys;
    private final int turns;
    private final Duration ttl;

    ConversationMemory(RedisDataSource redis, AiConfig config) {
        this.lists = redis.list(String.class);
        this.keys = redis.key();
        this.turns = config.ai().memoryTurns();
        this.ttl = config.ai().controlTtl();
    }

    public static String key(String conversationId) {
        return "ai_memory_" + conversationId;
    }

    /** Adds a turn unless it is there already (a redelivered event). */
    public void remember(String conversationId, Turn turn) {
        String key = key(conversationId);
        if (recent(conversationId).stream().anyMatch(t -> t.messageId() != null && t.messageId().equals(turn.messageId()))) {
            return;
        }
        lists.rpush(key, Json.write(turn));
        lists.ltrim(key, -turns, -1);
        keys.pexpire(key, ttl.toMillis());
    }

    public List<Turn> recent(String conversationId) {
        return lists.lrange(key(conversationId), 0, -1).stream().map(json -> {
            try {
                return Json.MAPPER.readValue(json, Turn.class);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    public void reset(String conversationId) {
        keys.del(key(conversationId));
    }
}
