package io.switchboard.chat.channel.instagram;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import jakarta.inject.Singleton;

import io.switchboard.chat.ChatConfig;
import io.switchboard.chat.channel.Attachments;
import io.switchboard.common.domain.DomainException;

/**
 * A file a customer sent on Instagram, fetched from the CDN URL its webhook gave, and only from Meta's media hosts
 * ({@code SWITCHBOARD_INSTAGRAM_MEDIA_HOSTS}): redirects are followed by hand, each hop checked the same way.
 */
@Singleton
public class InstagramFiles {
    private static final int MAX_REDIRECTS = 3;

    private final List<String> hosts;
    private final HttpClient http;
    private final Duration timeout;

    InstagramFiles(ChatConfig config) {
        this.hosts = config.instagram().mediaHosts();
        this.timeout = config.delivery().requestTimeout();
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Whether chat-service may fetch this URL: https on an allowed host or its subdomain (http on loopback only). */
    boolean allowed(URI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(java.util.Locale.ROOT);
        boolean listed = hosts.stream().map(String::strip).anyMatch(h -> host.equals(h) || host.endsWith("." + h));
        boolean loopback = host.equals("127.0.0.1") || host.equals("localhost");
        return listed && ("https".equals(uri.getScheme()) || ("http".equals(uri.getScheme()) && loopback));
    }

    public Attachments.Download download(String url, long maxBytes) {
        try {
            URI uri = URI.create(url);
            for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
                if (!allowed(uri)) {
                    throw DomainException.notFound("the file's address is not on Instagram's media hosts");
                }
                HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream in = response.body()) {
                    if (response.statusCode() / 100 == 3 && response.headers().firstValue("Location").isPresent()) {
                        uri = uri.resolve(response.headers().firstValue("Location").get());
                        continue;
                    }
                    if (response.statusCode() != 200) {
                        throw DomainException.notFound("Instagram no longer has this file (its links expire)");
                    }
                    return Attachments.readBounded(in, response.headers().firstValue("Content-Type").orElse("application/octet-stream"), maxBytes);
                }
            }
            throw DomainException.notFound("too many redirects for the file");
        } catch (IllegalArgumentException e) {
            throw DomainException.notFound("the file's address is not valid");
        } catch (IOException e) {
            throw new IllegalStateException("Instagram's CDN did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
