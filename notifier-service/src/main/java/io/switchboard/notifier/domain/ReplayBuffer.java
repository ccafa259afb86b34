package io.switchboard.notifier.domain;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The last frames this replica pushed, oldest first, bounded. A client that reconnects names the last event id it saw
 * and gets every later frame it is allowed to see; if that id has already left the buffer the gap cannot be filled
 * from here, and the client is told to reload ({@code resync}). Not thread-safe: {@link Clients} guards it.
 */
final class ReplayBuffer {
    /** One event as agents see it and as its customer sees it (null: customers do not see it at all). */
    record Entry(String eventId, String conversationId, String agentFrame, String customerFrame) {
        String frame(boolean customer) {
            return customer ? customerFrame : agentFrame;
        }

        long bytes() {
            // UTF-16 chars: an upper bound close enough for a memory bound
            return 2L * (agentFrame.length() + (customerFrame == null ? 0 : customerFrame.length()));
        }
    }

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    /** The event ids held, to recognise an event the relay published twice (at-least-once) and push it once. */
    private final java.util.Set<String> ids = new java.util.HashSet<>();
    private final int capacity;
    private final long capacityBytes;
    private long bytes;

    /** At most {@code capacity} frames and {@code capacityBytes} of them: large frames cannot crowd memory. */
    ReplayBuffer(int capacity, long capacityBytes) {
        this.capacity = capacity;
        this.capacityBytes = capacityBytes;
    }

    /** Keeps a frame; false (and nothing kept) when its event is held already. */
    boolean add(Entry entry) {
        if (!ids.add(entry.eventId())) {
            return false;
        }
        entries.addLast(entry);
        bytes += entry.bytes();
        while (entries.size() > capacity || (bytes > capacityBytes && entries.size() > 1)) {
            Entry oldest = entries.removeFirst();
            ids.remove(oldest.eventId());
            bytes -= oldest.bytes();
        }
        return true;
    }

    /**
     * The frames after {@code lastEventId} for one conversation ({@code null}: all conversations), or {@code null}
     * when {@code lastEventId} is not in the buffer.
     */
    List<String> after(String lastEventId, String conversationId, boolean customer) {
        List<String> missed = new ArrayList<>();
        boolean found = false;
        // newest first: a reconnecting client usually missed only the last few frames
        for (Iterator<Entry> it = entries.descendingIterator(); it.hasNext();) {
            Entry entry = it.next();
            if (entry.eventId().equals(lastEventId)) {
                found = true;
                break;
            }
            if ((conversationId == null || conversationId.equals(entry.conversationId())) && entry.frame(customer) != null) {
                missed.add(entry.frame(customer));
            }
        }
        return found ? missed.reversed() : null;
    }
}
