package io.switchboard.notifier.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;

/**
 * When a socket is cut off for not keeping up. The socket is a stand-in whose writes complete when the test says (the
 * client's reading), and time moves when the test says: SocketsTest shows the same over a real socket, where when
 * each rule fires depends on the machine.
 */
class ClientTest {
    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    private final AtomicLong clock = new AtomicLong(1_000 * SECOND);
    private final Deque<UniEmitter<? super Void>> pendingWrites = new ArrayDeque<>();
    private CloseReason closedWith;

    @Test
    void aClientThatStopsReadingIsClosedWhenItsWritesMakeNoProgressForTheStallTimeout() {
        Client client = client(new Client.Bounds(100, 1 << 20, 10 * SECOND));
        for (int i = 0; i < 5; i++) {
            assertTrue(client.offer("frame " + i));
        }
        clock.addAndGet(9 * SECOND);
        assertTrue(client.offer("frame 5"), "nine seconds without progress are within the ten");
        assertFalse(client.stalled());

        clock.addAndGet(2 * SECOND);
        assertTrue(client.stalled(), "eleven seconds with frames waiting and none taken");
        assertFalse(client.offer("frame 6"));
        assertEquals(Client.TOO_SLOW, closedWith);
    }

    @Test
    void aClientThatKeepsReadingIsNotClosedHoweverLongItsBacklogLasts() {
        Client client = client(new Client.Bounds(100, 1 << 20, 10 * SECOND));
        for (int i = 0; i < 50; i++) {
            assertTrue(client.offer("frame " + i));
        }
        // two and a half minutes behind by fifty frames, taking one every five seconds: slow, not stalled
        for (int i = 0; i < 30; i++) {
            clock.addAndGet(5 * SECOND);
            pendingWrites.removeFirst().complete(null);
            assertTrue(client.offer("more " + i), "after " + (i + 1) * 5 + " s");
        }
        assertFalse(client.stalled());
        assertNull(closedWith);
    }

    @Test
    void aBacklogIsTimedFromItsStartNotFromTheLastWriteBeforeAQuietSpell() {
        Client client = client(new Client.Bounds(100, 1 << 20, 10 * SECOND));
        assertTrue(client.offer("before"));
        pendingWrites.removeFirst().complete(null);

        clock.addAndGet(3_600 * SECOND);
        assertTrue(client.offer("an hour later"), "an hour with nothing to send is not an hour without progress");
        assertFalse(client.stalled());
        assertNull(closedWith);
    }

    @Test
    void aClientIsClosedAtTheBoundInFramesEvenBeforeItStalls() {
        Client client = client(new Client.Bounds(3, 1 << 20, 10 * SECOND));
        for (int i = 0; i < 3; i++) {
            assertTrue(client.offer("frame " + i));
        }
        pendingWrites.removeFirst().complete(null);
        assertTrue(client.offer("frame 3"), "a flushed frame makes room");
        assertFalse(client.offer("frame 4"), "four unflushed frames are one over the bound");
        assertEquals(Client.TOO_SLOW, closedWith);
    }

    @Test
    void aClientIsClosedAtTheBoundInBytesEvenBeforeItStalls() {
        // a frame of n characters counts 2n bytes (a Java string's memory)
        Client client = client(new Client.Bounds(100, 100, 10 * SECOND));
        assertTrue(client.offer("x".repeat(30)));
        assertFalse(client.offer("x".repeat(30)), "120 bytes unflushed are over the bound of 100");
        assertEquals(Client.TOO_SLOW, closedWith);
    }

    private Client client(Client.Bounds bounds) {
        WebSocketConnection connection = (WebSocketConnection) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { WebSocketConnection.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "id" -> "test-socket";
                    // open until the server closes it: these clients never leave first
                    case "isClosed" -> closedWith != null;
                    case "sendText" -> Uni.createFrom().<Void> emitter(pendingWrites::addLast);
                    case "close" -> {
                        closedWith = (CloseReason) args[0];
                        yield Uni.createFrom().voidItem();
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return new Client(connection, "conversation", "customer:conversation", null, bounds, reason -> {
        }, clock::get);
    }
}
