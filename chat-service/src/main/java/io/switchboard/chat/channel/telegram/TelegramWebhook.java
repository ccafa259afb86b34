package io.switchboard.chat.channel.telegram;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.common.annotation.Blocking;
import io.switchboard.chat.ChatConfig;
import io.switchboard.common.security.Secrets;
import io.switchboard.common.domain.DomainException;
import io.switchboard.chat.channel.InboundMessages;
import io.switchboard.chat.channel.WebhookBodies;
import io.switchboard.chat.channel.WebhookRejections;

/**
 * Telegram's webhook: Bot API {@code Update} objects, authenticated by the secret token set with {@code setWebhook}.
 * Text messages are stored as they are; other content (photos, stickers, voice...) as a placeholder naming it, with
 * the caption if there is one. Updates that carry no new message (edits, member changes) are acknowledged and left.
 * A repeated {@code update_id} is acknowledged and stored once.
 */
@Path("/webhooks/telegram")
@Blocking
public class TelegramWebhook {
    public static final String CHANNEL = "telegram";
    public static final String SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";
    private static final Logger LOG = Logger.getLogger(TelegramWebhook.class);
    /** Non-text content Telegram may send, in the order a message is checked for them. */
    private static final List<String> CONTENT_KINDS = List.of("photo", "video", "animation", "voice", "audio", "video_note",
            "document", "sticker", "location", "venue", "contact", "poll", "dice");

    private final ChatConfig.Telegram config;
    private final InboundMessages inbound;
    private final WebhookRejections rejections;

    TelegramWebhook(ChatConfig config, InboundMessages inbound, WebhookRejections rejections) {
        this.rejections = rejections;
        this.config = config.telegram();
        this.inbound = inbound;
    }

    public record Ack(boolean ok, boolean duplicate) {
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Ack receive(@HeaderParam(SECRET_HEADER) String secret, String body) {
        return rejections.counted(CHANNEL, () -> handle(secret, body));
    }

    private Ack handle(String secret, String body) {
        String expected = config.webhookSecret()
                .orElseThrow(() -> DomainException.notFound("the telegram channel is not configured (SWITCHBOARD_TELEGRAM_WEBHOOK_SECRET)"));
        if (secret == null || secret.isEmpty()) {
            throw DomainException.unauthenticated(null, "missing " + SECRET_HEADER);
        }
        if (!Secrets.same(expected, secret)) {
            throw DomainException.forbidden("wrong " + SECRET_HEADER);
        }
        JsonNode update = WebhookBodies.parse(body);
        long updateId = WebhookBodies.requiredLong(update, "update_id");
        JsonNode message = update.path("message");
        if (!message.isObject()) {
            LOG.debugf("telegram update %d carries no new message; acknowledged", updateId);
            return new Ack(true, false);
        }
        long chatId = WebhookBodies.requiredLong(message.path("chat"), "message.chat.id", "id");
        JsonNode from = message.path("from");
        Map<String, Object> metadata = new HashMap<>();
        metadata.put("telegram_update_id", updateId);
        metadata.put("telegram_message_id", message.path("message_id").asLong());
        if (from.hasNonNull("username")) {
            metadata.put("telegram_username", from.get("username").asText());
        }
        String kind = message.hasNonNull("text") ? "text" : CONTENT_KINDS.stream().filter(message::has).findFirst().orElse("unsupported");
        metadata.put("content_kind", kind);
        String content = "text".equals(kind) ? message.get("text").asText() : placeholder(kind, message);
        boolean stored = inbound.receive(new InboundMessages.Inbound(CHANNEL, Long.toString(chatId),
                from.path("first_name").asText(null), from.path("last_name").asText(null), content, metadata,
                "telegram:update:" + updateId)).isPresent();
        return new Ack(true, !stored);
    }

    /** {@code [photo]}, {@code [sticker 😀]}, {@code [document] caption}: what an agent reading the inbox needs to know. */
    private static String placeholder(String kind, JsonNode message) {
        StringBuilder text = new StringBuilder("[").append(kind.replace('_', ' '));
        if ("sticker".equals(kind) && message.path("sticker").hasNonNull("emoji")) {
            text.append(' ').append(message.path("sticker").get("emoji").asText());
        }
        text.append(']');
        if (message.hasNonNull("caption")) {
            text.append(' ').append(message.get("caption").asText());
        }
        return text.toString();
    }
}
