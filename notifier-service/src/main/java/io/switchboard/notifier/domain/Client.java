package io.switchboard.notifier.domain;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.jboss.logging.Logger;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * One open socket. Frames are written at once, in the order they are offered; the writes the socket has not yet
 * flushed to the network are counted. A client that stops reading (its TCP window shut) is closed when its writes
 * have made no progress for the stall timeout, or sooner when they would pass the bounds in frames or bytes: so it
 * holds a bounded amount of memory and nobody else waits for it. A client that reads slowly but keeps reading is
 * not cut off for being behind (a burst on a busy machine), only for what it would cost in memory.
 */
public final class Client {
    /** Close codes, so that a client can tell why it was cut off: 1009 is RFC 6455's, the 4000s are ours. */
    public static final CloseReason TOO_SLOW = new CloseReason(4000, "too slow: frames not read");
    public static final CloseReason IDLE = new CloseReason(4001, "idle timeout");
    public static final CloseReason TOO_BIG = new CloseReason(1009, "frame too big");
    public static final CloseReason TOO_MANY = new CloseReason(4002, "too many connections for this token");

    private static final Logger LOG = Logger.getLogger(Client.class);

    final WebSocketConnection connection;
    /** The conversation this socket follows; {@code null} for an inbox (all conversations). */
    final String conversationId;
    final String tokenKey;
    /** A customer's socket: it gets the customer's view of each event, not the agents'. */
    final boolean customer;
    /** The agent's name, shown to the customer when the agent types; null for customers and the bootstrap token. */
    final String name;
    private volatile long lastTypingNanos;
    private final Bounds bounds;
    private final LongSupplier clock;
    private final AtomicInteger unflushed = new AtomicInteger();
    private final AtomicLong unflushedBytes = new AtomicLong();
    private volatile boolean closed;
    private volatile long lastSeenNanos;
    /** When a write last completed, or when the current backlog began: what the stall timeout is measured from. */
    private volatile long lastProgressNanos;

    /** Told why the server closed this socket ({@code too_slow}, {@code idle}, ...), for the metrics. */
    private final Consumer<String> onServerClose;

    /**
     * How far behind a socket may fall: unflushed frames and bytes (what it may cost in memory), and how long its
     * writes may make no progress at all.
     */
    record Bounds(int frames, long bytes, long stallNanos) {
    }

    Client(WebSocketConnection connection, String conversationId, String tokenKey, String name, Bounds bounds,
            Consumer<String> onServerClose, LongSupplier clock) {
        this.name = name;
        this.onServerClose = onServerClose;
        this.connection = connection;
        this.conversationId = conversationId;
        this.tokenKey = tokenKey;
        this.customer = tokenKey != null && tokenKey.startsWith("customer:");
        this.bounds = bounds;
        this.clock = clock;
        this.lastSeenNanos = clock.getAsLong();
    }

    /** Writes a frame; returns false (and closes the socket) when the client is too far behind. */
    boolean offer(String frame) {
        if (closed) {
            return false;
        }
        long size = 2L * frame.length();
        if (unflushed.get() == 0) {
            lastProgressNanos = clock.getAsLong(); // before the count rises, so that a sweep never sees an old time
        }
        // bounded in frames and in bytes: a few large frames weigh as much as many small ones
        if (unflushed.incrementAndGet() > bounds.frames() | unflushedBytes.addAndGet(size) > bounds.bytes() || stalled()) {
            close(TOO_SLOW);
            return false;
        }
        connection.sendText(frame).subscribe().with(ok -> flushed(size), failure -> {
            flushed(size);
            LOG.debugf("socket %s: write failed: %s", connection.id(), failure.getMessage());
            close(CloseReason.ABNORMAL);
        });
        return true;
    }

    private void flushed(long size) {
        lastProgressNanos = clock.getAsLong();
        unflushed.decrementAndGet();
        unflushedBytes.addAndGet(-size);
    }

    /** Frames wait for this socket and none has been flushed to it for the stall timeout: it is not reading. */
    boolean stalled() {
        return unflushed.get() > 0 && clock.getAsLong() - lastProgressNanos > bounds.stallNanos();
    }

    static String reasonName(CloseReason reason) {
        return switch (reason.getCode()) {
            case 4000 -> "too_slow";
            case 4001 -> "idle";
            case 4002 -> "too_many";
            case 1009 -> "too_big";
            default -> "error";
        };
    }

    /** Whether a typing signal may go out now: one per interval, so a fast typist cannot flood the others. */
    boolean mayType(long intervalNanos) {
        long now = clock.getAsLong();
        synchronized (this) {
            if (lastTypingNanos != 0 && now - lastTypingNanos < intervalNanos) {
                return false;
            }
            lastTypingNanos = now;
            return true;
        }
    }

    void touch() {
        lastSeenNanos = clock.getAsLong();
    }

    long idleNanos() {
        return clock.getAsLong() - lastSeenNanos;
    }

    void close(CloseReason reason) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (connection.isClosed()) {
            // the client went first (a dropped network, a reset): nothing to close, and no close of the server's to count
            LOG.debugf("socket %s: closed by the client before the server's %d", connection.id(), reason.getCode());
            return;
        }
        onServerClose.accept(reasonName(reason));
        LOG.infof("closing socket %s (%s): %d %s", connection.id(), conversationId == null ? "inbox" : conversationId, reason.getCode(),
                reason.getMessage() == null ? "" : reason.getMessage());
        connection.close(reason).subscribe().with(ok -> {
        }, failure -> LOG.debugf("socket %s: close failed: %s", connection.id(), failure.getMessage()));
    }
}
