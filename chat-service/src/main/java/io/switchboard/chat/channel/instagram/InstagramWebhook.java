package io.switchboard.chat.channel.instagram;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.common.annotation.Blocking;
import io.switchboard.chat.ChatConfig;
import io.switchboard.common.security.Secrets;
import io.switchboard.common.domain.DomainException;
import io.switchboard.chat.channel.InboundMessages;
import io.switchboard.chat.channel.WebhookBodies;
import io.switchboard.chat.channel.WebhookRejections;

/**
 * Instagram's webhook (Meta Graph API). {@code GET} answers the subscription handshake; {@code POST} takes batched
 * {@code entry[].messaging[]} events signed with the app secret ({@code X-Hub-Signature-256: sha256=<hex HMAC of the
 * raw body>}). Echoes of our own replies ({@code is_echo}) and events without a message (reads, reactions) are
 * skipped; a repeated {@code mid} is stored once. The whole batch is checked before any of it is stored.
 */
@Path("/webhooks/instagram")
@Blocking
public class InstagramWebhook {
    public static final String CHANNEL = "instagram";
    public static final String SIGNATURE_HEADER = "X-Hub-Signature-256";

    private final ChatConfig.Instagram config;
    private final InboundMessages inbound;
    private final WebhookRejections rejections;

    InstagramWebhook(ChatConfig config, InboundMessages inbound, WebhookRejections rejections) {
        this.rejections = rejections;
        this.config = config.instagram();
        this.inbound = inbound;
    }

    public record Ack(int stored, int skipped) {
    }

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public String verify(@QueryParam("hub.mode") String mode, @QueryParam("hub.verify_token") String token,
            @QueryParam("hub.challenge") String challenge) {
        return rejections.counted(CHANNEL, () -> handshake(mode, token, challenge));
    }

    private String handshake(String mode, String token, String challenge) {
        String expected = config.verifyToken()
                .orElseThrow(() -> DomainException.notFound("the instagram channel is not configured (SWITCHBOARD_INSTAGRAM_VERIFY_TOKEN)"));
        if (!"subscribe".equals(mode)) {
            throw DomainException.invalid("hub.mode", "hub.mode must be subscribe");
        }
        if (challenge == null || challenge.isEmpty()) {
            throw DomainException.invalid("hub.challenge", "hub.challenge is required");
        }
        if (token == null || !Secrets.same(expected, token)) {
            throw DomainException.forbidden("wrong hub.verify_token");
        }
        return challenge;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Ack receive(@HeaderParam(SIGNATURE_HEADER) String signature, byte[] body) {
        return rejections.counted(CHANNEL, () -> handle(signature, body));
    }

    private Ack handle(String signature, byte[] body) {
        String secret = config.appSecret()
                .orElseThrow(() -> DomainException.notFound("the instagram channel is not configured (SWITCHBOARD_INSTAGRAM_APP_SECRET)"));
        if (signature == null || signature.isEmpty()) {
            throw DomainException.unauthenticated(null, "missing " + SIGNATURE_HEADER);
        }
        if (!validSignature(secret, body, signature)) {
            throw DomainException.forbidden("wrong " + SIGNATURE_HEADER);
        }
        JsonNode payload = WebhookBodies.parse(new String(body, StandardCharsets.UTF_8));
        if (!"instagram".equals(payload.path("object").asText())) {
            throw DomainException.invalid("object", "object must be instagram");
        }
        List<InboundMessages.Inbound> messages = new ArrayList<>();
        int skipped = 0;
        JsonNode entries = payload.path("entry");
        for (int e = 0; e < entries.size(); e++) {
            JsonNode events = entries.get(e).path("messaging");
            for (int m = 0; m < events.size(); m++) {
                InboundMessages.Inbound message = toInbound(events.get(m), "entry[" + e + "].messaging[" + m + "]");
                if (message == null) {
                    skipped++;
                } else {
                    messages.add(message);
                }
            }
        }
        int stored = 0;
        for (InboundMessages.Inbound message : messages) {
            if (inbound.receive(message).isPresent()) {
                stored++;
            } else {
                skipped++;
            }
        }
        return new Ack(stored, skipped);
    }

    /** One messaging event as a customer message, or null for what is not one (echo, read receipt, reaction). */
    private static InboundMessages.Inbound toInbound(JsonNode event, String path) {
        JsonNode message = event.path("message");
        if (!message.isObject() || message.path("is_echo").asBoolean(false)) {
            return null;
        }
        String sender = WebhookBodies.requiredText(event.path("sender"), path + ".sender.id", "id");
        String mid = WebhookBodies.requiredText(message, path + ".message.mid", "mid");
        Map<String, Object> metadata = new HashMap<>();
        metadata.put("instagram_mid", mid);
        String content;
        if (message.hasNonNull("text") && !message.get("text").asText().isBlank()) {
            content = message.get("text").asText();
            metadata.put("content_kind", "text");
        } else {
            String kind = message.path("attachments").path(0).path("type").asText("unsupported");
            content = "[" + kind + "]";
            metadata.put("content_kind", kind);
            String url = message.path("attachments").path(0).path("payload").path("url").asText(null);
            if (url != null) {
                metadata.put("attachment_url", url);
            }
        }
        return new InboundMessages.Inbound(CHANNEL, sender, null, null, content, metadata, "instagram:mid:" + mid);
    }

    /** {@code sha256=<hex>} over the raw body, compared in constant time. */
    static boolean validSignature(String secret, byte[] body, String header) {
        if (!header.startsWith("sha256=")) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(header.substring("sha256=".length()).strip());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(hmacSha256(secret, body), given);
    }

    public static byte[] hmacSha256(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
