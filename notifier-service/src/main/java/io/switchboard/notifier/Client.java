package io.switchboard.notifier;

import java.util.ArrayDeque;

import org.jboss.logging.Logger;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * One open socket and the frames waiting for it. Frames go out one at a time in the order they were offered; the next
 * is written when the previous write completed, so a client that stops reading piles up frames here, not in memory
 * without bound: past the limit it is closed, and nobody else waits for it.
 */
final class Client {
    /** Close codes, so that a client can tell why it was cut off: 1009 is RFC 6455's, the 4000s are ours. */
    static final CloseReason TOO_SLOW = new CloseReason(4000, "too slow: frames not read");
    static final CloseReason IDLE = new CloseReason(4001, "idle timeout");
    static final CloseReason TOO_BIG = new CloseReason(1009, "frame too big");
    static final CloseReason TOO_MANY = new CloseReason(4002, "too many connections for this token");

    private static final Logger LOG = Logger.getLogger(Client.class);

    final WebSocketConnection connection;
    /** The conversation this socket follows; {@code null} for an inbox (all conversations). */
    final String conversationId;
    final String tokenKey;
    private final int queueLimit;
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    private boolean writing;
    private boolean closed;
    private volatile long lastSeenNanos = System.nanoTime();

    Client(WebSocketConnection connection, String conversationId, String tokenKey, int queueLimit) {
        this.connection = connection;
        this.conversationId = conversationId;
        this.tokenKey = tokenKey;
        this.queueLimit = queueLimit;
    }

    boolean wants(String frameConversationId) {
        return conversationId == null || conversationId.equals(frameConversationId);
    }

    /** Queues a frame; returns false (and closes the socket) when the client is too far behind. */
    boolean offer(String frame) {
        synchronized (this) {
            if (closed) {
                return false;
            }
            if (queue.size() >= queueLimit) {
                queue.clear();
                close(TOO_SLOW);
                return false;
            }
            queue.addLast(frame);
            if (writing) {
                return true;
            }
            writing = true;
        }
        writeNext();
        return true;
    }

    private void writeNext() {
        String frame;
        synchronized (this) {
            frame = queue.pollFirst();
            if (frame == null || closed) {
                writing = false;
                return;
            }
        }
        connection.sendText(frame).subscribe().with(ok -> writeNext(), failure -> {
            LOG.debugf("socket %s: write failed: %s", connection.id(), failure.getMessage());
            close(CloseReason.ABNORMAL);
        });
    }

    int queued() {
        synchronized (this) {
            return queue.size();
        }
    }

    void touch() {
        lastSeenNanos = System.nanoTime();
    }

    long idleNanos() {
        return System.nanoTime() - lastSeenNanos;
    }

    void close(CloseReason reason) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        LOG.infof("closing socket %s (%s): %d %s", connection.id(), conversationId == null ? "inbox" : conversationId, reason.getCode(),
                reason.getMessage() == null ? "" : reason.getMessage());
        connection.close(reason).subscribe().with(ok -> {
        }, failure -> LOG.debugf("socket %s: close failed: %s", connection.id(), failure.getMessage()));
    }
}
