package io.switchboard.chat.channel.telegram;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;

import io.switchboard.chat.ChatConfig;
import io.switchboard.chat.channel.Attachments;
import io.switchboard.common.domain.DomainException;
import io.switchboard.contracts.Json;

/**
 * A file a customer sent on Telegram, fetched for an agent: Bot API {@code getFile} gives its path, then
 * {@code /file/bot<token>/<path>} its bytes. The bot token stays here: the browser only ever sees chat-service's URL.
 */
@Singleton
public class TelegramFiles {
    private final ChatConfig.Telegram config;
    private final HttpClient http;
    private final Duration timeout;

    TelegramFiles(ChatConfig config) {
        this.config = config.telegram();
        this.timeout = config.delivery().requestTimeout();
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public Attachments.Download download(String fileId, long maxBytes) {
        String token = config.botToken().orElseThrow(() -> DomainException.notFound("the telegram channel has no bot token"));
        String base = config.apiBaseUrl().replaceAll("/+$", "");
        try {
            HttpResponse<String> described = http.send(HttpRequest.newBuilder(URI.create(base + "/bot" + token + "/getFile?file_id="
                    + URLEncoder.encode(fileId, StandardCharsets.UTF_8))).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
            JsonNode file = Json.read(described.body()).path("result");
            if (described.statusCode() != 200 || !file.hasNonNull("file_path")) {
                throw DomainException.notFound("Telegram no longer has this file");
            }
            if (file.path("file_size").asLong(0) > maxBytes) {
                throw DomainException.invalid("attachment", "the file is larger than " + maxBytes / 1_000_000 + " MB");
            }
            HttpResponse<InputStream> content = http.send(HttpRequest.newBuilder(URI.create(base + "/file/bot" + token + "/"
                    + file.get("file_path").asText())).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = content.body()) {
                if (content.statusCode() != 200) {
                    throw DomainException.notFound("Telegram no longer has this file");
                }
                return Attachments.readBounded(in, content.headers().firstValue("Content-Type").orElse("application/octet-stream"), maxBytes);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Telegram did not answer for a file: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
