package io.switchboard.chat.channel.telegram;

import java.util.HashMap;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import io.micrometer.core.instrument.MeterRegistry;

import io.smallrye.common.annotation.Blocking;
import io.switchboard.chat.ChatConfig;
import io.switchboard.common.security.Secrets;
import io.switchboard.common.domain.DomainException;
import io.switchboard.chat.channel.InboundMessages;
import io.switchboard.chat.channel.WebhookBodies;
import io.switchboard.chat.channel.WebhookRejections;

/**
 * Telegram's webhook: Bot API {@code Update} objects, authenticated by the secret token set with {@code setWebhook}.
 * Private chats are support conversations; groups, supergroups and channels are acknowledged and left unless
 * {@code SWITCHBOARD_TELEGRAM_GROUPS=true} (then a group is one conversation and each message names its sender).
 * Service messages (members joining, a pinned message...) and messages from bots are never customer messages. What a
 * message says is read by {@link TelegramContent}; an {@code edited_message} updates the stored text. A repeated
 * {@code update_id} is acknowledged and stored once. Every answer to an authenticated call is 200, a body that cannot
 * be read included (counted, logged without the body): Telegram would otherwise resend it forever.
 */
@Path("/webhooks/telegram")
@Blocking
public class TelegramWebhook {
    public static final String CHANNEL = "telegram";
    public static final String SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";
    static final String MESSAGE_ID_KEY = "telegram_message_id";
    private static final Logger LOG = Logger.getLogger(TelegramWebhook.class);

    private final ChatConfig.Telegram config;
    private final InboundMessages inbound;
    private final WebhookRejections rejections;
    private final MeterRegistry metrics;

    TelegramWebhook(ChatConfig config, InboundMessages inbound, WebhookRejections rejections, MeterRegistry metrics) {
        this.rejections = rejections;
        this.config = config.telegram();
        this.inbound = inbound;
        this.metrics = metrics;
    }

    /** {@code ignored}: why nothing was stored (a group, a service message, a malformed update...), else absent. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Ack(boolean ok, boolean duplicate, String ignored) {
        static Ack stored(boolean stored) {
            return new Ack(true, !stored, null);
        }
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Ack receive(@HeaderParam(SECRET_HEADER) String secret, String body) {
        return rejections.counted(CHANNEL, () -> {
            authenticate(secret);
            try {
                return handle(WebhookBodies.parse(body));
            } catch (DomainException malformed) {
                return new Ack(true, false, "malformed: " + rejections.malformed(CHANNEL, malformed));
            }
        });
    }

    private void authenticate(String secret) {
        String expected = config.webhookSecret()
                .orElseThrow(() -> DomainException.notFound("the telegram channel is not configured (SWITCHBOARD_TELEGRAM_WEBHOOK_SECRET)"));
        if (secret == null || secret.isEmpty()) {
            throw DomainException.unauthenticated(null, "missing " + SECRET_HEADER);
        }
        if (!Secrets.same(expected, secret)) {
            throw DomainException.forbidden("wrong " + SECRET_HEADER);
        }
    }

    private Ack handle(JsonNode update) {
        long updateId = WebhookBodies.requiredLong(update, "update_id");
        boolean edit = !update.path("message").isObject() && update.path("edited_message").isObject();
        JsonNode message = edit ? update.get("edited_message") : update.path("message");
        if (!message.isObject()) {
            return ignored("no_message", "telegram update %d carries no message (a channel post, a callback...)", updateId);
        }
        String at = edit ? "edited_message" : "message";
        long chatId = WebhookBodies.requiredLong(message.path("chat"), at + ".chat.id", "id");
        String chatType = message.path("chat").path("type").asText("private");
        boolean group = !"private".equals(chatType);
        if (group && !config.groups()) {
            return ignored("group", "telegram update %d is from a %s; groups are off (SWITCHBOARD_TELEGRAM_GROUPS)", updateId, chatType);
        }
        JsonNode from = message.path("from");
        if (from.path("is_bot").asBoolean(false) || (group && message.has("sender_chat"))) {
            return ignored("not_a_customer", "telegram update %d was written by a bot or on behalf of a chat", updateId);
        }
        if (TelegramContent.isServiceMessage(message)) {
            return ignored("service_message", "telegram update %d is a service message", updateId);
        }
        TelegramContent.Content content = TelegramContent.of(message);
        Map<String, Object> metadata = new HashMap<>(content.metadata());
        long messageId = WebhookBodies.requiredLong(message, at + ".message_id", "message_id");
        metadata.put(MESSAGE_ID_KEY, messageId);
        String text = content.text();
        String sender = (from.path("first_name").asText("") + " " + from.path("last_name").asText("")).strip();
        if (group) {
            metadata.put("sender_name", sender);
            text = sender + ": " + text;
        }
        if (edit) {
            boolean changed = inbound.edit(CHANNEL, Long.toString(chatId), MESSAGE_ID_KEY, Long.toString(messageId), text, metadata).isPresent();
            return changed ? new Ack(true, false, null) : ignored("edit_unchanged", "telegram edit %d changes no stored message", updateId);
        }
        metadata.put("telegram_update_id", updateId);
        if (from.hasNonNull("username")) {
            metadata.put("telegram_username", from.get("username").asText());
        }
        // a group is its own contact, named after the group; a private chat's contact is the person
        String firstName = group ? message.path("chat").path("title").asText(null) : from.path("first_name").asText(null);
        String lastName = group ? null : from.path("last_name").asText(null);
        boolean stored = inbound.receive(new InboundMessages.Inbound(CHANNEL, Long.toString(chatId), firstName, lastName, text,
                metadata, "telegram:update:" + updateId)).isPresent();
        return Ack.stored(stored);
    }

    private Ack ignored(String reason, String format, Object... parameters) {
        metrics.counter("switchboard.webhook.ignored", "channel", CHANNEL, "reason", reason).increment();
        LOG.debugf(format, parameters);
        return new Ack(true, false, reason);
    }
}
