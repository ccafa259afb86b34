package io.switchboard.testing;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A collector that takes OTLP over HTTP ({@code POST /v1/traces}, protobuf) and keeps the raw bodies, so a test can
 * see that a service exported spans of a trace (service names and trace ids appear in them as bytes).
 */
public final class OtlpStub implements AutoCloseable {
    private final HttpServer server;
    private final List<byte[]> exports = new CopyOnWriteArrayList<>();

    private OtlpStub() {
        this.server = LocalHttp.serve("/", this::handle);
    }

    public static OtlpStub start() {
        return new OtlpStub();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** True when some export contains all these byte sequences (e.g. a service name and a trace id). */
    public boolean exported(byte[]... parts) {
        return exports.stream().anyMatch(body -> java.util.Arrays.stream(parts).allMatch(part -> indexOf(body, part) >= 0));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exports.add(exchange.getRequestBody().readAllBytes());
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, 0);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
