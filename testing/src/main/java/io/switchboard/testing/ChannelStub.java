package io.switchboard.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.switchboard.contracts.Json;

/**
 * A local server that speaks the send side of a messaging platform's wire format: the Telegram Bot API's
 * {@code POST /bot<token>/sendMessage} or the Instagram Graph API's {@code POST /me/messages} (bearer token). It checks
 * the credentials as the platform would, records every accepted request, and can be told to answer the next requests
 * with an error status (429 with a retry hint, 5xx, 4xx) in the platform's own error format.
 */
public final class ChannelStub implements AutoCloseable {
    public enum Platform { TELEGRAM, INSTAGRAM }

    private final Platform platform;
    private final String credential;
    private final HttpServer server;
    private final List<JsonNode> delivered = new CopyOnWriteArrayList<>();
    private final AtomicLong attempts = new AtomicLong();
    private final Queue<Scripted> scriptedStatuses = new ConcurrentLinkedQueue<>();
    private final AtomicLong nextMessageId = new AtomicLong(1000);
    /** Telegram files by file_id: what {@code getFile} describes and {@code /file/bot<token>/<path>} serves. */
    private final Map<String, StoredFile> files = new ConcurrentHashMap<>();
    private final AtomicLong fileDownloads = new AtomicLong();
    private final List<Hold> holds = new CopyOnWriteArrayList<>();

    private record StoredFile(String path, byte[] bytes, String contentType) {
    }

    /** A status the next send answers with: any send, or only one whose text contains {@code marker}. */
    private record Scripted(String marker, int status) {
        boolean appliesTo(String text) {
            return marker == null || text.contains(marker);
        }
    }

    private ChannelStub(Platform platform, String credential) {
        this.platform = platform;
        this.credential = credential;
        this.server = LocalHttp.serve("/", this::handle);
    }

    /** A Telegram Bot API that accepts {@code botToken}. Base URL: {@link #baseUrl()}; sends go to {@code {base}/bot{token}/sendMessage}. */
    public static ChannelStub telegram(String botToken) {
        return new ChannelStub(Platform.TELEGRAM, botToken);
    }

    /** An Instagram Graph API that accepts {@code accessToken}. Base URL: {@link #baseUrl()}; sends go to {@code {base}/me/messages}. */
    public static ChannelStub instagram(String accessToken) {
        return new ChannelStub(Platform.INSTAGRAM, accessToken);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + (platform == Platform.INSTAGRAM ? "/v21.0" : "");
    }

    /** The request bodies the platform accepted (and answered 200), in arrival order. */
    public List<JsonNode> delivered() {
        return delivered;
    }

    /** The bodies accepted whose text contains {@code marker}. */
    public List<JsonNode> deliveredMentioning(String marker) {
        return delivered.stream().filter(r -> r.toString().contains(marker)).toList();
    }

    /** Every send request, accepted or not. */
    public long attempts() {
        return attempts.get();
    }

    /** The next requests are answered with these statuses, one each, before normal service resumes; 200 is normal service. */
    public void failNext(int... statuses) {
        for (int status : statuses) {
            scriptedStatuses.add(new Scripted(null, status));
        }
    }

    /** The next send whose text contains {@code marker} is answered with {@code status}; other sends as usual. */
    public void failNextMentioning(String marker, int status) {
        scriptedStatuses.add(new Scripted(marker, status));
    }

    /** A file the Telegram stub serves: {@code getFile?file_id=...} and then its download path. */
    public void putFile(String fileId, String path, byte[] bytes, String contentType) {
        files.put(fileId, new StoredFile(path, bytes, contentType));
    }

    /** Downloads of file contents so far (a cache in front of them makes fewer). */
    public long fileDownloads() {
        return fileDownloads.get();
    }

    /**
     * A platform slow to answer some sends: those whose text contains {@code marker} wait, unanswered, until the hold
     * is released (or closed, or 30 s pass); every other send is answered at once.
     */
    public Hold hold(String marker) {
        Hold hold = new Hold(marker);
        holds.add(hold);
        return hold;
    }

    public final class Hold implements AutoCloseable {
        private final String marker;
        private final CountDownLatch released = new CountDownLatch(1);
        private final AtomicInteger waiting = new AtomicInteger();

        private Hold(String marker) {
            this.marker = marker;
        }

        /** Sends the platform has and has not answered yet. */
        public int waiting() {
            return waiting.get();
        }

        public void release() {
            holds.remove(this);
            released.countDown();
        }

        @Override
        public void close() {
            release();
        }

        private void await(String text) {
            if (!text.contains(marker) || released.getCount() == 0) {
                return;
            }
            waiting.incrementAndGet();
            try {
                released.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                waiting.decrementAndGet();
            }
        }
    }

    public void reset() {
        holds.forEach(Hold::release);
        scriptedStatuses.clear();
        delivered.clear();
        attempts.set(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith("/cdn/")) {
                sendFile(exchange, path.substring("/cdn/".length()));
                return;
            }
            if (platform == Platform.TELEGRAM && (path.endsWith("/getFile") || path.startsWith("/file/"))) {
                serveFile(exchange, path);
                return;
            }
            boolean sendPath = platform == Platform.TELEGRAM ? path.endsWith("/sendMessage") : path.endsWith("/me/messages");
            if (!"POST".equals(exchange.getRequestMethod()) || !sendPath) {
                respond(exchange, 404, error(404, "Not Found"));
                return;
            }
            attempts.incrementAndGet();
            boolean authorized = platform == Platform.TELEGRAM
                    ? path.equals("/bot" + credential + "/sendMessage")
                    : ("Bearer " + credential).equals(exchange.getRequestHeaders().getFirst("Authorization"));
            if (!authorized) {
                respond(exchange, 401, error(401, "Unauthorized"));
                return;
            }
            JsonNode body;
            try {
                body = Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes());
            } catch (IOException e) {
                respond(exchange, 400, error(400, "Bad Request: invalid JSON"));
                return;
            }
            String text = platform == Platform.TELEGRAM ? body.path("text").asText() : body.path("message").path("text").asText();
            Integer scripted = nextScripted(text);
            if (scripted != null && scripted != 200) {
                if (scripted == 429) {
                    exchange.getResponseHeaders().add("Retry-After", "1");
                }
                respond(exchange, scripted, error(scripted, scripted == 429 ? "Too Many Requests: retry after 1" : "scripted failure"));
                return;
            }
            String missing = platform == Platform.TELEGRAM
                    ? (body.hasNonNull("chat_id") && body.hasNonNull("text") ? null : "Bad Request: chat_id and text are required")
                    : (body.path("recipient").hasNonNull("id") && body.path("message").hasNonNull("text") ? null
                            : "recipient.id and message.text are required");
            if (missing != null) {
                respond(exchange, 400, error(400, missing));
                return;
            }
            // the platforms' own limits on one message's text
            if (platform == Platform.TELEGRAM ? text.length() > 4096
                    : text.length() >= 1000 || text.getBytes(StandardCharsets.UTF_8).length > 1000) {
                respond(exchange, 400, error(400, platform == Platform.TELEGRAM ? "Bad Request: message is too long"
                        : "(#100) Length of param message[text] must be less than or equal to 1000"));
                return;
            }
            for (Hold hold : holds) {
                hold.await(text);
            }
            delivered.add(body);
            respond(exchange, 200, success(body));
        }
    }

    /** The URL of a file on this stub's "CDN" (Instagram gives such URLs in its webhooks); put it there with {@link #putFile}. */
    public String cdnUrl(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/cdn/" + path;
    }

    /** The stored file at that path, or 404. */
    private void sendFile(HttpExchange exchange, String path) throws IOException {
        StoredFile file = path == null ? null : files.values().stream().filter(f -> f.path().equals(path)).findFirst().orElse(null);
        if (file == null) {
            respond(exchange, 404, error(404, "Not Found"));
            return;
        }
        fileDownloads.incrementAndGet();
        exchange.getResponseHeaders().add("Content-Type", file.contentType());
        exchange.sendResponseHeaders(200, file.bytes().length);
        exchange.getResponseBody().write(file.bytes());
    }

    /** Telegram's two steps to a file: getFile gives its path, /file/bot{token}/{path} its bytes. */
    private void serveFile(HttpExchange exchange, String path) throws IOException {
        if (path.endsWith("/getFile")) {
            if (!path.equals("/bot" + credential + "/getFile")) {
                respond(exchange, 401, error(401, "Unauthorized"));
                return;
            }
            String query = exchange.getRequestURI().getQuery() == null ? "" : exchange.getRequestURI().getQuery();
            String fileId = query.startsWith("file_id=") ? java.net.URLDecoder.decode(query.substring(8), StandardCharsets.UTF_8) : "";
            StoredFile file = files.get(fileId);
            if (file == null) {
                respond(exchange, 400, error(400, "Bad Request: invalid file_id"));
                return;
            }
            ObjectNode response = Json.object().put("ok", true);
            response.putObject("result").put("file_id", fileId).put("file_unique_id", "u-" + fileId)
                    .put("file_size", file.bytes().length).put("file_path", file.path());
            respond(exchange, 200, Json.write(response));
            return;
        }
        String prefix = "/file/bot" + credential + "/";
        sendFile(exchange, path.startsWith(prefix) ? path.substring(prefix.length()) : null);
    }

    /** The first scripted status that applies to this send, taken off the script; null for normal service. */
    private Integer nextScripted(String text) {
        for (Scripted scripted : scriptedStatuses) {
            if (scripted.appliesTo(text) && scriptedStatuses.remove(scripted)) {
                return scripted.status();
            }
        }
        return null;
    }

    private String success(JsonNode request) {
        long id = nextMessageId.incrementAndGet();
        if (platform == Platform.TELEGRAM) {
            ObjectNode response = Json.object().put("ok", true);
            ObjectNode result = response.putObject("result").put("message_id", id).put("date", System.currentTimeMillis() / 1000)
                    .put("text", request.path("text").asText());
            result.putObject("from").put("id", 42).put("is_bot", true).put("first_name", "Switchboard");
            result.putObject("chat").put("id", request.path("chat_id").asLong()).put("type", "private");
            return Json.write(response);
        }
        return Json.write(Json.object().put("recipient_id", request.path("recipient").path("id").asText()).put("message_id", "mid.stub." + id));
    }

    /** Each platform's error body: Telegram {@code {"ok":false,...}}, Meta {@code {"error":{...}}}. */
    private String error(int status, String description) {
        if (platform == Platform.TELEGRAM) {
            ObjectNode error = Json.object().put("ok", false).put("error_code", status).put("description", description);
            if (status == 429) {
                error.putObject("parameters").put("retry_after", 1);
            }
            return Json.write(error);
        }
        ObjectNode error = Json.object();
        error.putObject("error").put("message", description).put("type", status == 401 ? "OAuthException" : "IGApiException")
                .put("code", status == 429 ? 4 : status == 401 ? 190 : 100).put("fbtrace_id", "stub");
        return Json.write(error);
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
