package io.switchboard.notifier.domain;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The last frames this replica pushed, oldest first, bounded. A client that reconnects names the last event id it saw
 * and gets every later frame it is allowed to see; if that id has already left the buffer the gap cannot be filled
 * from here, and the client is told to reload ({@code resync}). Not thread-safe: {@link Clients} guards it.
 * <p>
 * The frames' text lies in a ring of byte arrays allocated once, not in a string per frame: frames live for minutes,
 * so as strings each one was copied from survivor space to survivor space at every young collection until it was
 * old enough to be promoted, and the notifier's pauses were the longest of the four services (docs/performance.md).
 * What stays on the heap per event is its two ids and where its bytes lie.
 */
final class ReplayBuffer {
    /** One event as agents see it and as its customer sees it (null: customers do not see it at all). */
    record Entry(String eventId, String conversationId, String agentFrame, String customerFrame) {
    }

    /**
     * A held event: its frames are the {@code agentLength} bytes at {@code start} in the ring and the
     * {@code customerLength} after them (-1: none for customers). {@code kept} is false for an event larger than the
     * whole bound: its id still answers for it (a redelivery is recognised, and a client that missed it is told to
     * reload), its frames are gone.
     */
    private record Held(String eventId, String conversationId, long start, int agentLength, int customerLength, boolean kept) {
    }

    /** The ring's arrays: small enough that one that is never filled costs little, large enough to be few. */
    private static final int CHUNK = 1 << 20;

    private final ArrayDeque<Held> held = new ArrayDeque<>();
    /** The event ids held, to recognise an event the relay published twice (at-least-once) and push it once. */
    private final Set<String> ids = new HashSet<>();
    private final int capacity;
    private final long capacityBytes;
    private final byte[][] chunks;
    private final int chunkSize;
    private final long ringSize;
    /** Where the next frame's bytes go, counted from the ring's first byte ever written (its position is this modulo the size). */
    private long head;

    /** At most {@code capacity} frames and {@code capacityBytes} of them (UTF-8): large frames cannot crowd memory. */
    ReplayBuffer(int capacity, long capacityBytes) {
        this(capacity, capacityBytes, CHUNK);
    }

    /** With arrays of {@code chunkSize} bytes at most: tests cross their edges with a few frames. */
    ReplayBuffer(int capacity, long capacityBytes, int chunkSize) {
        if (capacity < 1 || capacityBytes < 1 || chunkSize < 1) {
            throw new IllegalArgumentException("the replay buffer must hold at least one frame and one byte: check "
                    + "SWITCHBOARD_WS_REPLAY_BUFFER_SIZE (" + capacity + ") and SWITCHBOARD_WS_REPLAY_BUFFER_BYTES (" + capacityBytes + ")");
        }
        this.capacity = capacity;
        this.capacityBytes = capacityBytes;
        this.chunkSize = (int) Math.min(chunkSize, capacityBytes);
        this.chunks = new byte[Math.toIntExact((capacityBytes + this.chunkSize - 1) / this.chunkSize)][];
        // whole arrays, so the ring may be a little longer than the bound; the bound is what the held frames may take
        this.ringSize = (long) chunks.length * this.chunkSize;
    }

    /** Keeps a frame; false (and nothing kept) when its event is held already. */
    boolean add(Entry entry) {
        if (!ids.add(entry.eventId())) {
            return false;
        }
        byte[] agent = entry.agentFrame().getBytes(StandardCharsets.UTF_8);
        byte[] customer = entry.customerFrame() == null ? null : entry.customerFrame().getBytes(StandardCharsets.UTF_8);
        int length = agent.length + (customer == null ? 0 : customer.length);
        boolean kept = length <= capacityBytes;
        while (!held.isEmpty() && (held.size() >= capacity || (kept && used() + length > capacityBytes))) {
            ids.remove(held.removeFirst().eventId());
        }
        Held added = new Held(entry.eventId(), entry.conversationId(), head, agent.length, customer == null ? -1 : customer.length, kept);
        if (kept) {
            write(agent);
            if (customer != null) {
                write(customer);
            }
        }
        held.addLast(added);
        return true;
    }

    /**
     * The frames after {@code lastEventId} for one conversation ({@code null}: all conversations), or {@code null}
     * when {@code lastEventId} is not in the buffer or a frame after it was too large to keep.
     */
    List<String> after(String lastEventId, String conversationId, boolean customer) {
        List<String> missed = new ArrayList<>();
        // newest first: a reconnecting client usually missed only the last few frames
        for (Iterator<Held> it = held.descendingIterator(); it.hasNext();) {
            Held event = it.next();
            if (event.eventId().equals(lastEventId)) {
                return missed.reversed();
            }
            boolean forThisClient = (conversationId == null || conversationId.equals(event.conversationId()))
                    && (!customer || event.customerLength() >= 0);
            if (!forThisClient) {
                continue;
            }
            if (!event.kept()) {
                return null;
            }
            missed.add(customer ? read(event.start() + event.agentLength(), event.customerLength()) : read(event.start(), event.agentLength()));
        }
        return null;
    }

    /** Bytes of the ring the held frames take. */
    long used() {
        return held.isEmpty() ? 0 : head - held.peekFirst().start();
    }

    private void write(byte[] bytes) {
        copy(head, bytes, true);
        head += bytes.length;
    }

    private String read(long start, int length) {
        byte[] bytes = new byte[length];
        copy(start, bytes, false);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Copies {@code bytes} into the ring at {@code position}, or fills them from there, across the arrays' edges. */
    private void copy(long position, byte[] bytes, boolean intoRing) {
        for (int done = 0; done < bytes.length;) {
            int chunk = (int) (position % ringSize / chunkSize);
            int at = (int) (position % chunkSize);
            int n = Math.min(bytes.length - done, chunkSize - at);
            if (intoRing) {
                if (chunks[chunk] == null) {
                    chunks[chunk] = new byte[chunkSize];
                }
                System.arraycopy(bytes, done, chunks[chunk], at, n);
            } else {
                System.arraycopy(chunks[chunk], at, bytes, done, n);
            }
            done += n;
            position += n;
        }
    }
}
