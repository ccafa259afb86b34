package io.switchboard.chat.channel.delivery;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import io.switchboard.contracts.Json;

/**
 * Sends a text to a user of one platform over HTTP and sorts the answer: 2xx sent, 429 and 5xx (and errors the
 * platform marks as transient) retried, other 4xx rejected. Subclasses say where to send and how to read the body.
 */
public abstract class PlatformSender {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Duration timeout;

    protected PlatformSender(Duration timeout) {
        this.timeout = timeout;
    }

    /** The channel name this sender serves ({@code telegram}, {@code instagram}). */
    public abstract String channel();

    /** Why this channel cannot send at all (a missing setting), or empty. */
    protected abstract Optional<String> misconfigured();

    /** The longest text one message to this platform may hold, in characters: a longer one goes in parts. */
    public abstract int maxTextLength();

    /** The longest text in UTF-8 bytes, for a platform that counts them too. */
    public int maxTextBytes() {
        return Integer.MAX_VALUE;
    }

    protected abstract HttpRequest.Builder request(String recipientId, String text);

    protected abstract String messageId(JsonNode body);

    protected abstract String errorOf(JsonNode body);

    /** How long the platform asked us to wait, from its body; empty when it did not say. */
    protected Optional<Duration> retryAfter(JsonNode body) {
        return Optional.empty();
    }

    /** An error that a 4xx status carries but that passes (rate limits some platforms answer with 400). */
    protected boolean transientError(JsonNode body) {
        return false;
    }

    public SendResult send(String recipientId, String text) {
        Optional<String> problem = misconfigured();
        if (problem.isPresent()) {
            return new SendResult.Rejected(problem.get());
        }
        HttpResponse<String> response;
        try {
            response = HTTP.send(request(recipientId, text).timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return new SendResult.Retry(channel() + " unreachable: " + e.getClass().getSimpleName(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new SendResult.Retry("interrupted", null);
        }
        JsonNode body = parse(response.body());
        int status = response.statusCode();
        if (status / 100 == 2) {
            return new SendResult.Sent(messageId(body));
        }
        String reason = channel() + " answered " + status + ": " + errorOf(body);
        if (status == 429 || status >= 500 || transientError(body)) {
            Duration after = retryAfter(body).or(() -> response.headers().firstValue("Retry-After").flatMap(PlatformSender::seconds))
                    .orElse(null);
            return new SendResult.Retry(reason, after);
        }
        return new SendResult.Rejected(reason);
    }

    protected static HttpRequest.BodyPublisher json(JsonNode body) {
        return HttpRequest.BodyPublishers.ofString(Json.write(body));
    }

    protected static URI uri(String base, String path) {
        return URI.create(base.replaceAll("/+$", "") + path);
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? MissingNode.getInstance() : Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    private static Optional<Duration> seconds(String value) {
        try {
            return Optional.of(Duration.ofSeconds(Long.parseLong(value.strip())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
