package io.switchboard.chat.channel.instagram;

import java.net.http.HttpRequest;
import java.util.Optional;
import java.util.Set;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;

import io.switchboard.chat.ChatConfig;
import io.switchboard.contracts.Json;
import io.switchboard.chat.channel.delivery.PlatformSender;

/**
 * Graph API {@code POST me/messages} with the page's access token: {@code {"recipient": {"id": IGSID}, "message":
 * {"text": ...}}}. Errors are {@code {"error": {"message", "code", "is_transient"}}}; Meta answers rate limits with
 * codes 4, 17, 32 and 613, often under a 400, so those are retried.
 */
@Singleton
public class InstagramSender extends PlatformSender {
    private static final Set<Integer> RATE_LIMIT_CODES = Set.of(4, 17, 32, 613);
    private final ChatConfig.Instagram config;

    InstagramSender(ChatConfig config) {
        super(config.delivery().requestTimeout());
        this.config = config.instagram();
    }

    @Override
    public String channel() {
        return InstagramWebhook.CHANNEL;
    }

    @Override
    protected Optional<String> misconfigured() {
        return config.accessToken().isPresent() ? Optional.empty() : Optional.of("SWITCHBOARD_INSTAGRAM_ACCESS_TOKEN is not set");
    }

    /** The Send API takes a text of less than 1,000 characters (Meta's page today) and of 1,000 bytes (its page before). */
    @Override
    public int maxTextLength() {
        return 999;
    }

    @Override
    public int maxTextBytes() {
        return 1000;
    }

    @Override
    protected HttpRequest.Builder request(String recipientId, String text) {
        var body = Json.object();
        body.putObject("recipient").put("id", recipientId);
        body.putObject("message").put("text", text);
        return HttpRequest.newBuilder(uri(config.apiBaseUrl(), "/me/messages"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + config.accessToken().orElseThrow())
                .POST(json(body));
    }

    @Override
    protected String messageId(JsonNode body) {
        return body.path("message_id").asText(null);
    }

    @Override
    protected String errorOf(JsonNode body) {
        return body.path("error").path("message").asText("no message");
    }

    @Override
    protected boolean transientError(JsonNode body) {
        JsonNode error = body.path("error");
        return error.path("is_transient").asBoolean(false) || RATE_LIMIT_CODES.contains(error.path("code").asInt(-1));
    }
}
