package io.switchboard.system;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.switchboard.contracts.Json;

/**
 * Headless Chromium (Debian's {@code chromium}) driven over the Chrome DevTools Protocol, with nothing but the JDK's
 * WebSocket client: tabs, navigation, script evaluation, clicks and typing as DOM events, screenshots.
 */
final class Browser implements AutoCloseable {
    private final Process chromium;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final StringBuilder partial = new StringBuilder();

    private Browser(Process chromium, String url) {
        this.chromium = chromium;
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(url), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    try {
                        JsonNode message = Json.MAPPER.readTree(partial.toString());
                        CompletableFuture<JsonNode> waiting = message.has("id") ? pending.remove(message.get("id").asInt()) : null;
                        if (waiting != null) {
                            waiting.complete(message);
                        }
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                    partial.setLength(0);
                }
                webSocket.request(1);
                return null;
            }
        }).join();
    }

    static Browser launch(Path profile) throws IOException {
        Files.createDirectories(profile);
        Process process = new ProcessBuilder("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--remote-debugging-port=0", "about:blank").redirectErrorStream(true).start();
        var lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = lines.readLine()) != null) {
            int at = line.indexOf("ws://");
            if (line.contains("DevTools listening on") && at >= 0) {
                String url = line.substring(at).strip();
                Thread.ofVirtual().start(() -> lines.lines().forEach(l -> { })); // keep draining its output
                return new Browser(process, url);
            }
        }
        throw new IOException("chromium exited before it listened (is Debian's chromium package installed?)");
    }

    JsonNode call(String sessionId, String method, ObjectNode params) {
        int id = ids.incrementAndGet();
        ObjectNode message = Json.object().put("id", id).put("method", method);
        message.set("params", params == null ? Json.object() : params);
        if (sessionId != null) {
            message.put("sessionId", sessionId);
        }
        var answer = new CompletableFuture<JsonNode>();
        pending.put(id, answer);
        socket.sendText(Json.write(message), true).join();
        try {
            JsonNode reply = answer.get(30, TimeUnit.SECONDS);
            if (reply.has("error")) {
                throw new IllegalStateException(method + ": " + reply.get("error"));
            }
            return reply.path("result");
        } catch (Exception e) {
            throw new IllegalStateException(method + " failed", e);
        }
    }

    Tab open(String url) {
        String target = call(null, "Target.createTarget", Json.object().put("url", "about:blank")).path("targetId").asText();
        String session = call(null, "Target.attachToTarget", Json.object().put("targetId", target).put("flatten", true))
                .path("sessionId").asText();
        Tab tab = new Tab(session);
        call(session, "Page.enable", null);
        call(session, "Emulation.setDeviceMetricsOverride", Json.object().put("width", 1280).put("height", 860)
                .put("deviceScaleFactor", 1).put("mobile", false));
        tab.go(url);
        return tab;
    }

    final class Tab {
        private final String session;

        private Tab(String session) {
            this.session = session;
        }

        void go(String url) {
            // marks the current document, so that the wait below is for the new one, also when the URL is the same
            eval("window.__leaving = true");
            call(session, "Page.navigate", Json.object().put("url", url));
            waitFor("!window.__leaving && document.readyState === 'complete' && location.href === " + quote(url), Duration.ofSeconds(20));
        }

        /** The value of a script (awaited when it is a promise). */
        JsonNode eval(String script) {
            JsonNode result = call(session, "Runtime.evaluate", Json.object().put("expression", script).put("awaitPromise", true)
                    .put("returnByValue", true));
            if (result.has("exceptionDetails")) {
                throw new IllegalStateException("script failed: " + result.get("exceptionDetails"));
            }
            return result.path("result").path("value");
        }

        /** Waits until a script is true; fails with what the page shows when it never is. */
        void waitFor(String condition, Duration timeout) {
            try {
                // a script that fails (the page is still loading) counts as not true yet
                org.awaitility.Awaitility.await(condition).atMost(timeout).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                        .until(() -> eval("!!(" + condition + ")").asBoolean());
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("not true after " + timeout.toSeconds() + " s: " + condition + "\npage text:\n"
                        + eval("document.body.innerText").asText(), e);
            }
        }

        /** Types into a field as a person would, to the page's listeners: value set, input and change events fired. */
        void type(String selector, String text) {
            eval("(() => { const e = document.querySelector(" + quote(selector) + "); e.focus(); e.value = " + quote(text)
                    + "; e.dispatchEvent(new Event('input', {bubbles: true})); e.dispatchEvent(new Event('change', {bubbles: true})); })()");
        }

        void click(String selector) {
            eval("document.querySelector(" + quote(selector) + ").click()");
        }

        /** The text of the first element matching a selector, or "" when there is none. */
        String text(String selector) {
            return eval("(document.querySelector(" + quote(selector) + ") || {}).innerText || ''").asText();
        }

        void screenshot(Path file) throws IOException {
            Files.createDirectories(file.getParent());
            // a background tab paints nothing: bring it to the front first
            call(session, "Page.bringToFront", null);
            String data = call(session, "Page.captureScreenshot", Json.object().put("format", "png")).path("data").asText();
            Files.write(file, Base64.getDecoder().decode(data));
        }
    }

    static String quote(String text) {
        return Json.write(text);
    }

    @Override
    public void close() {
        socket.abort();
        chromium.destroy();
        try {
            chromium.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        chromium.destroyForcibly();
    }
}
