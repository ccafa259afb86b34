package io.switchboard.ai.domain;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
     * Appends a conversation's new turns in order (ARGV: the number of turns kept, the TTL, then each turn's JSON and
     * the mark of its message id), trims the list and renews its TTL; a turn whose message is there already is left
     * out (a redelivered command; a request answered again after a crash may bring other words, and the first stay).
     * One round trip a conversation, and atomic. The mark is {@code "message_id":"<id>"} as the JSON holds it: a plain
     * search, where decoding every kept turn cost Redis more than the append.
     */
    private static final String REMEMBER = """
            local kept = redis.call('LRANGE', KEYS[1], 0, -1)
            local added = 0
            for i = 3, #ARGV, 2 do
              local seen = false
              for _, item in ipairs(kept) do
                if item == ARGV[i] or (ARGV[i + 1] ~= '' and string.find(item, ARGV[i + 1], 1, true)) then
                  seen = true
                  break
                end
              end
              if not seen then
                redis.call('RPUSH', KEYS[1], ARGV[i])
                table.insert(kept, ARGV[i])
                added = added + 1
              end
            end
            if added > 0 then
              redis.call('LTRIM', KEYS[1], -tonumber(ARGV[1]), -1)
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
            end
            return added""";

    /** Adds a turn unless it is there already (a redelivered command). */
    public void remember(String conversationId, Turn turn) {
        rememberAll(List.of(new Remembered(conversationId, turn)));
    }

    /** Adds the turns in order, each unless it is there already: one script a conversation, all in one pipelined round trip. */
    public void rememberAll(List<Remembered> remembered) {
        if (remembered.isEmpty()) {
            return;
        }
        Map<String, Request> scripts = new LinkedHashMap<>();
        for (Remembered r : remembered) {
            Turn turn = r.turn();
            scripts.computeIfAbsent(r.conversationId(), id -> Request.cmd(Command.EVAL).arg(REMEMBER).arg(1).arg(key(id)).arg(turns).arg(ttl.toMillis()))
                    .arg(Json.write(turn)).arg(turn.messageId() == null ? "" : "\"message_id\":" + Json.write(turn.messageId()));
        }
        pipeline.batchAndAwait(List.copyOf(scripts.values()));
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
