package io.switchboard.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.switchboard.contracts.Json;

/**
 * A local server that speaks OpenAI's chat-completions wire format ({@code POST /v1/chat/completions}): it records
 * each request body and answers "Stub answer to: <last user message>", after an optional delay, with an error
 * status or with a body that is not JSON, so tests can see exactly what the model was asked and make it slow or failing.
 */
public final class OpenAiStub implements AutoCloseable {
    private final HttpServer server;
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private volatile long delayMillis;
    /** Requests whose last user message holds this text wait {@link #slowMillis} instead of {@link #delayMillis}. */
    private volatile String slowMarker;
    private volatile long slowMillis;
    private volatile int status = 200;
    private volatile boolean garbage;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();

    private OpenAiStub() {
        this.server = LocalHttp.serve("/v1/chat/completions", this::handle);
    }

    public static OpenAiStub start() {
        return new OpenAiStub();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    public List<JsonNode> requests() {
        return requests;
    }

    /** Each request's Authorization header, in order ({@code ""} when it had none). */
    public List<String> authorizations() {
        return authorizations;
    }

    /** The requests whose messages mention this text anywhere (e.g. a conversation's unique marker). */
    public List<JsonNode> requestsMentioning(String text) {
        return requests.stream().filter(r -> r.toString().contains(text)).toList();
    }

    /**
     * The requests that ask this: their last message, the question, contains the text. Earlier questions of a
     * conversation come again in its later requests, as turns of its history.
     */
    public List<JsonNode> requestsAsking(String text) {
        return requests.stream().filter(r -> {
            JsonNode messages = r.path("messages");
            return !messages.isEmpty() && messages.get(messages.size() - 1).path("content").asText().contains(text);
        }).toList();
    }

    public void delay(long millis) {
        this.delayMillis = millis;
    }

    /** Makes the questions that contain {@code marker} take {@code millis} (one slow conversation among fast ones). */
    public void delayWhen(String marker, long millis) {
        this.slowMillis = millis;
        this.slowMarker = marker;
    }

    public void status(int status) {
        this.status = status;
    }

    /** Answers 200 with a body that is not a chat completion, as a misconfigured proxy or gateway would. */
    public void garbage(boolean garbage) {
        this.garbage = garbage;
    }

    /** The most requests this stub has been answering at the same moment since the last {@link #reset()}. */
    public int mostInFlight() {
        return mostInFlight.get();
    }

    /** Requests being answered now (a slow one goes on after its client has given up). */
    public int inFlight() {
        return inFlight.get();
    }

    public void reset() {
        mostInFlight.set(0);
        delayMillis = 0;
        slowMarker = null;
        status = 200;
        garbage = false;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode request = Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes());
            requests.add(request);
            authorizations.add(Objects.requireNonNullElse(exchange.getRequestHeaders().getFirst("Authorization"), ""));
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            String lastUser = "";
            for (JsonNode message : request.path("messages")) {
                if ("user".equals(message.path("role").asText())) {
                    lastUser = message.path("content").asText();
                }
            }
            String marker = slowMarker;
            long delay = marker != null && lastUser.contains(marker) ? slowMillis : delayMillis;
            try {
                if (delay > 0) {
                    Thread.sleep(delay);
                }
            } finally {
                inFlight.decrementAndGet();
            }
            byte[] body;
            if (garbage) {
                body = "<html><body>502 Bad Gateway</body></html>".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/html");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            if (status != 200) {
                body = ("{\"error\": {\"message\": \"stub failure\", \"type\": \"server_error\"}}").getBytes(StandardCharsets.UTF_8);
            } else {
                var response = Json.object().put("id", "chatcmpl-stub").put("object", "chat.completion")
                        .put("created", System.currentTimeMillis() / 1000).put("model", request.path("model").asText("stub"));
                var choice = response.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
                choice.putObject("message").put("role", "assistant").put("content", "Stub answer to: " + lastUser);
                response.putObject("usage").put("prompt_tokens", 10).put("completion_tokens", 5).put("total_tokens", 15);
                body = Json.write(response).getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
