package io.switchboard.chat.channel.telegram;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Optional;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;

import io.switchboard.chat.ChatConfig;
import io.switchboard.contracts.Json;
import io.switchboard.contracts.MessageContent;
import io.switchboard.chat.channel.delivery.PlatformSender;

/** Bot API {@code sendMessage}: {@code {"chat_id": ..., "text": ...}}; errors are {@code {"ok": false, "description": ...}}. */
@Singleton
public class TelegramSender extends PlatformSender {
    private final ChatConfig.Telegram config;

    TelegramSender(ChatConfig config) {
        super(config.delivery().requestTimeout());
        this.config = config.telegram();
    }

    @Override
    public String channel() {
        return TelegramWebhook.CHANNEL;
    }

    @Override
    protected Optional<String> misconfigured() {
        return config.botToken().isPresent() ? Optional.empty() : Optional.of("SWITCHBOARD_TELEGRAM_BOT_TOKEN is not set");
    }

    /** {@code sendMessage}'s limit: 4,096 characters, as chat-service's own. */
    @Override
    public int maxTextLength() {
        return MessageContent.MAX_LENGTH;
    }

    @Override
    protected HttpRequest.Builder request(String chatId, String text) {
        var body = Json.object();
        // chat ids are integers on Telegram's side; a numeric string is accepted too, but send what it sent us
        body.put("chat_id", Long.parseLong(chatId));
        body.put("text", text);
        return HttpRequest.newBuilder(uri(config.apiBaseUrl(), "/bot" + config.botToken().orElseThrow() + "/sendMessage"))
                .header("Content-Type", "application/json").POST(json(body));
    }

    @Override
    protected String messageId(JsonNode body) {
        return body.path("result").path("message_id").asText(null);
    }

    @Override
    protected String errorOf(JsonNode body) {
        return body.path("description").asText("no description");
    }

    @Override
    protected Optional<Duration> retryAfter(JsonNode body) {
        JsonNode seconds = body.path("parameters").path("retry_after");
        return seconds.isNumber() ? Optional.of(Duration.ofSeconds(seconds.asLong())) : Optional.empty();
    }
}
