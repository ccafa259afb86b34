package io.switchboard.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import io.switchboard.contracts.Json;

/** The public REST API, called as a client would: JSON over HTTP, nothing else. */
public final class Api {
    public record Reply(int status, JsonNode body) {
        public JsonNode ok() {
            if (status / 100 != 2) {
                throw new IllegalStateException("HTTP " + status + ": " + body);
            }
            return body;
        }
    }

    /**
     * HTTP/1.1, as the services are called in a deployment: browsers use HTTP/2 only over TLS (to the ingress, which
     * speaks HTTP/1.1 to the pods). The JDK client's default would upgrade a plain connection to HTTP/2 (h2c), which
     * no browser does and which costs the server other work than a customer's request does.
     */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    public Reply post(String url, String bearer, Object body) {
        return send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(
                body instanceof String text ? text : Json.write(body))), bearer);
    }

    public Reply patch(String url, String bearer, Object body) {
        return send(HttpRequest.newBuilder(URI.create(url)).method("PATCH", HttpRequest.BodyPublishers.ofString(Json.write(body))), bearer);
    }

    public Reply put(String url, String bearer, Object body) {
        return send(HttpRequest.newBuilder(URI.create(url)).PUT(HttpRequest.BodyPublishers.ofString(Json.write(body))), bearer);
    }

    public Reply delete(String url, String bearer) {
        return send(HttpRequest.newBuilder(URI.create(url)).DELETE(), bearer);
    }

    /** Any method, with a body or without (null). */
    public Reply call(String method, String url, String bearer, Object body) {
        var publisher = body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(Json.write(body));
        return send(HttpRequest.newBuilder(URI.create(url)).method(method, publisher), bearer);
    }

    public Reply get(String url, String bearer) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), bearer);
    }

    private Reply send(HttpRequest.Builder request, String bearer) {
        request.header("Content-Type", "application/json").timeout(Duration.ofSeconds(30));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isBlank() ? MissingNode.getInstance() : Json.MAPPER.readTree(response.body());
            return new Reply(response.statusCode(), body);
        } catch (IOException e) {
            throw new IllegalStateException("request failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
