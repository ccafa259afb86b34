package io.switchboard.ai.domain;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.keys.KeyCommands;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.switchboard.ai.AiConfig;
import io.switchboard.contracts.Json;

/**
 * The recent turns of each conversation since its last reset, in Redis ({@code ai_memory_{id}}, a list trimmed to the
 * configured number of turns, with the control TTL). Fed by the AI commands, in the conversation's order: a reply request
 * adds the customer's message and the answer (or only the message, when the AI is off), a {@code remember_message}
 * what others wrote (agents, workflows).
 */
@ApplicationScoped
public class ConversationMemory {
    public record Turn(String messageId, String senderType, String content) {
    }

    /** A turn of a conversation, to remember. */
    public record Remembered(String conversationId, Turn turn) {
    }

    private final Redis pipeline;
    private final KeyCommands<String> keys;
    private final int turns;
    private final Duration ttl;

    ConversationMemory(RedisDataSource redis, Redis pipeline, AiConfig config) {
        this.pipeline = pipeline;
        this.keys = redis.key();
        this.turns = config.ai().memoryTurns();
        this.ttl = config.ai().controlTtl();
    }

    public static String key(String conversationId) {
        return "ai_memory_" + conversationId;
    }

    /**
     * Appends the turn, trims the list and renews its TTL, unless a turn of the same message is there already (a
     * redelivered command; a request answered again after a crash may bring other words, and the first stay): one
     * round trip, and atomic.
     */
    private static final String REMEMBER = """
            for _, item in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
              if item == ARGV[1] or (ARGV[4] ~= '' and cjson.decode(item).messageId == ARGV[4]) then return 0 end
            end
            redis.call('RPUSH', KEYS[1], ARGV[1])
            redis.call('LTRIM', KEYS[1], -tonumber(ARGV[2]), -1)
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
            return 1""";

    /** Adds a turn unless it is there already (a redelivered command). */
    public void remember(String conversationId, Turn turn) {
        rememberAll(List.of(new Remembered(conversationId, turn)));
    }

    /** Adds the turns in order, each unless it is there already, in one pipelined round trip. */
    public void rememberAll(List<Remembered> remembered) {
        if (remembered.isEmpty()) {
            return;
        }
        pipeline.batchAndAwait(remembered.stream().map(r -> Request.cmd(Command.EVAL).arg(REMEMBER).arg(1).arg(key(r.conversationId()))
                .arg(Json.write(r.turn())).arg(turns).arg(ttl.toMillis()).arg(r.turn().messageId() == null ? "" : r.turn().messageId())).toList());
    }

    /** The Redis command that reads a conversation's recent turns, pipelined with others; {@link #turns} reads its reply. */
    public static Request recentRequest(String conversationId) {
        return Request.cmd(Command.LRANGE).arg(key(conversationId)).arg(0).arg(-1);
    }

    /** The turns from the reply to {@link #recentRequest}, oldest first. */
    public static List<Turn> turns(Response list) {
        List<Turn> turns = new ArrayList<>(list.size());
        list.forEach(item -> turns.add(turn(item.toString())));
        return turns;
    }

    private static Turn turn(String json) {
        try {
            return Json.MAPPER.readValue(json, Turn.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public void reset(String conversationId) {
        keys.del(key(conversationId));
    }
}
