package io.switchboard.system;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;

import io.switchboard.contracts.Json;

/** A notifier WebSocket as a widget or inbox holds it: every frame kept with the time it arrived. */
public final class Socket implements WebSocket.Listener, AutoCloseable {
    public record Received(JsonNode frame, long nanos) {
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final BlockingQueue<Received> frames = new LinkedBlockingQueue<>();
    private final List<Received> seen = new ArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;
    private java.util.function.Consumer<JsonNode> onFrame;

    /** The subprotocol the notifier answers with when the token comes next to it, as the pages send it. */
    private static final String SUBPROTOCOL = "switchboard.v1";

    public static Socket open(String url, String token) {
        return open(url, token, null);
    }

    /**
     * Opens a socket with the token in {@code Sec-WebSocket-Protocol} (as the pages do: never in the URL); with
     * {@code onFrame}, every frame is handed to it as it arrives and not kept (for load, where nobody reads the queue).
     */
    public static Socket open(String url, String token, java.util.function.Consumer<JsonNode> onFrame) {
        Socket listener = new Socket();
        listener.onFrame = onFrame;
        listener.socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).subprotocols(SUBPROTOCOL, token)
                .buildAsync(URI.create(url), listener).join();
        if (onFrame == null) {
            listener.next(f -> "ready".equals(f.path("type").asText()), Duration.ofSeconds(10));
        }
        return listener;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            long now = System.nanoTime();
            try {
                JsonNode frame = Json.MAPPER.readTree(partial.toString());
                if (onFrame != null) {
                    onFrame.accept(frame);
                } else {
                    frames.add(new Received(frame, now));
                }
            } catch (Exception e) {
                throw new IllegalStateException("not JSON: " + partial, e);
            }
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    /** The next frame matching {@code filter} (frames before it are kept in {@link #seen()}), or null on timeout. */
    public Received next(Predicate<JsonNode> filter, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                Received received = frames.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (received == null) {
                    return null;
                }
                seen.add(received);
                if (filter.test(received.frame())) {
                    return received;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The next message.created frame whose message has this sender type. */
    public Received nextMessageFrom(String senderType, Duration timeout) {
        return next(f -> "message.created".equals(f.path("type").asText())
                && senderType.equals(f.path("data").path("message").path("sender_type").asText()), timeout);
    }

    /** Every frame read so far plus those that arrive within {@code wait}. */
    public List<JsonNode> drain(Duration wait) {
        next(f -> false, wait);
        return seen.stream().map(Received::frame).toList();
    }

    /** Sends a text frame (a typing signal, a ping). */
    public void send(String text) {
        socket.sendText(text, true).join();
    }

    @Override
    public void close() {
        socket.abort();
    }
}
