package io.switchboard.chat.domain;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.switchboard.chat.ChatConfig;
import io.switchboard.common.domain.DomainException;

/**
 * At most {@code switchboard.rate-limit.messages} customer messages per conversation in each window: a flood from one
 * widget (a script, a stuck key) gets 429 and stores nothing, and cannot drive the workflows and the model. Counted
 * per replica, so behind N replicas the bound is N times higher; agents are not limited.
 */
@ApplicationScoped
public class MessageRateLimit {
    private record Window(long startedNanos, int count) {
    }

    private static final int MAX_TRACKED = 100_000;
    private final Map<UUID, Window> windows = new ConcurrentHashMap<>();
    private final int limit;
    private final long windowNanos;

    MessageRateLimit(ChatConfig config) {
        this.limit = config.rateLimit().messages();
        this.windowNanos = config.rateLimit().window().toNanos();
    }

    /** Counts one customer message; 429 when the conversation has used up its window. */
    public void admit(UUID conversationId) {
        long now = System.nanoTime();
        if (windows.size() > MAX_TRACKED) {
            windows.values().removeIf(w -> now - w.startedNanos() > windowNanos);
        }
        Window window = windows.compute(conversationId, (id, current) -> current == null || now - current.startedNanos() > windowNanos
                ? new Window(now, 1)
                : new Window(current.startedNanos(), current.count() + 1));
        if (window.count() > limit) {
            long waitSeconds = Math.max(1, (window.startedNanos() + windowNanos - now) / 1_000_000_000L);
            throw DomainException.tooManyRequests("too many messages: at most " + limit + " per " + windowNanos / 1_000_000_000L
                    + " s in a conversation; try again in " + waitSeconds + " s");
        }
    }

    /** Gives back the count of a message that was not stored after all (bad input, database down): only stored ones count. */
    public void release(UUID conversationId) {
        windows.computeIfPresent(conversationId, (id, window) -> new Window(window.startedNanos(), Math.max(0, window.count() - 1)));
    }
}
