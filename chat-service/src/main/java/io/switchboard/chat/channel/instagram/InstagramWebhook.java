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
 * raw body>}). Messages keep their text and every attachment (kind and CDN URL), story replies their story's link,
 * quick replies and postbacks the customer's choice; an edit replaces the stored text and an unsend marks it; a read
 * receipt or a reaction marks our message it is about. Echoes of our own replies and referrals are skipped; a repeated {@code mid} is stored once. The
 * whole batch is checked before any of it is stored.
 */
@Path("/webhooks/instagram")
@Blocking
public class InstagramWebhook {
    public static final String CHANNEL = "instagram";
    public static final String SIGNATURE_HEADER = "X-Hub-Signature-256";
    static final String MID_KEY = "instagram_mid";

    private final ChatConfig.Instagram config;
    private final InboundMessages inbound;
    private final WebhookRejections rejections;

    InstagramWebhook(ChatConfig config, InboundMessages inbound, WebhookRejections rejections) {
        this.rejections = rejections;
        this.config = config.instagram();
        this.inbound = inbound;
    }

    /** {@code malformed}: events (or the whole body) that could not be read, acknowledged so Meta does not resend them. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Ack(int stored, int skipped, List<String> malformed) {
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
        authenticate(signature, body);
        List<String> malformed = new ArrayList<>();
        JsonNode payload;
        try {
            payload = WebhookBodies.parse(new String(body, StandardCharsets.UTF_8));
            if (!"instagram".equals(payload.path("object").asText())) {
                throw DomainException.invalid("object", "object must be instagram");
            }
        } catch (DomainException e) {
            return new Ack(0, 0, List.of(rejections.malformed(CHANNEL, e)));
        }
        List<Change> changes = new ArrayList<>();
        int skipped = 0;
        JsonNode entries = payload.path("entry");
        for (int e = 0; e < entries.size(); e++) {
            JsonNode events = entries.get(e).path("messaging");
            for (int m = 0; m < events.size(); m++) {
                Change change;
                try {
                    change = toChange(events.get(m), "entry[" + e + "].messaging[" + m + "]");
                } catch (DomainException bad) {
                    // one unreadable event does not cost the others in its batch
                    malformed.add(rejections.malformed(CHANNEL, bad));
                    continue;
                }
                if (change == null) {
                    skipped++;
                } else {
                    changes.add(change);
                }
            }
        }
        int stored = 0;
        for (Change change : changes) {
            boolean done = switch (change) {
                case NewMessage message -> inbound.receive(message.inbound()).isPresent();
                case Edited edited -> inbound.edit(CHANNEL, edited.sender(), MID_KEY, edited.mid(), edited.content(), edited.metadata()).isPresent();
                case OnOurs marked -> inbound.annotateOurs(CHANNEL, marked.sender(), marked.mid(), marked.entries()).isPresent();
                case Referred referred -> inbound.refer(CHANNEL, referred.sender(), referred.attributes());
            };
            if (done) {
                stored++;
            } else {
                skipped++;
            }
        }
        return new Ack(stored, skipped, malformed.isEmpty() ? null : malformed);
    }

    private void authenticate(String signature, byte[] body) {
        String secret = config.appSecret()
                .orElseThrow(() -> DomainException.notFound("the instagram channel is not configured (SWITCHBOARD_INSTAGRAM_APP_SECRET)"));
        if (signature == null || signature.isEmpty()) {
            throw DomainException.unauthenticated(null, "missing " + SIGNATURE_HEADER);
        }
        if (!validSignature(secret, body, signature)) {
            throw DomainException.forbidden("wrong " + SIGNATURE_HEADER);
        }
    }


    /** What one messaging event is: a new customer message, a change to a stored one, or nothing for us. */
    private sealed interface Change {
    }

    private record NewMessage(InboundMessages.Inbound inbound) implements Change {
    }

    /** An edit or an unsend of a stored message, found by its mid. */
    private record Edited(String sender, String mid, String content, Map<String, Object> metadata) implements Change {
    }

    /** The customer came from an ad, a link or a post ({@code ref}, {@code source}, {@code type}): kept on the contact. */
    private record Referred(String sender, Map<String, Object> attributes) implements Change {
    }

    /** The customer read or reacted to one of our messages (its mid is the one Instagram gave our reply). */
    private record OnOurs(String sender, String mid, Map<String, Object> entries) implements Change {
    }

    /**
     * One messaging event: a message (text, attachments, a story reply, a quick reply), a postback (the customer's
     * choice), an edit or an unsend; null for what is not a customer's (echoes of our replies, read receipts,
     * reactions, referrals: acknowledged).
     */
    private static Change toChange(JsonNode event, String path) {
        JsonNode referral = event.has("referral") ? event.get("referral") : event.path("message").path("referral");
        if (referral.isObject() && !event.path("message").isObject()) {
            String sender = WebhookBodies.requiredText(event.path("sender"), path + ".sender.id", "id");
            Map<String, Object> attributes = new HashMap<>();
            for (String field : List.of("ref", "source", "type")) {
                if (referral.hasNonNull(field)) {
                    attributes.put("referral_" + field, referral.get(field).asText());
                }
            }
            return new Referred(sender, attributes);
        }
        JsonNode reaction = event.path("reaction");
        JsonNode read = event.path("read");
        if (reaction.hasNonNull("mid") || read.hasNonNull("mid")) {
            String sender = WebhookBodies.requiredText(event.path("sender"), path + ".sender.id", "id");
            Map<String, Object> entries = new HashMap<>();
            if (read.hasNonNull("mid")) {
                entries.put("read", true);
                return new OnOurs(sender, read.get("mid").asText(), entries);
            }
            boolean removed = "unreact".equals(reaction.path("action").asText());
            entries.put("reaction", removed ? null : reaction.path("emoji").asText(reaction.path("reaction").asText("")));
            return new OnOurs(sender, reaction.get("mid").asText(), entries);
        }
        JsonNode edit = event.path("message_edit");
        if (edit.isObject()) {
            String sender = WebhookBodies.requiredText(event.path("sender"), path + ".sender.id", "id");
            String mid = WebhookBodies.requiredText(edit, path + ".message_edit.mid", "mid");
            return new Edited(sender, mid, edit.path("text").asText("[edited]"), Map.of());
        }
        JsonNode postback = event.path("postback");
        if (postback.isObject()) {
            String sender = WebhookBodies.requiredText(event.path("sender"), path + ".sender.id", "id");
            String mid = WebhookBodies.requiredText(postback, path + ".postback.mid", "mid");
            Map<String, Object> metadata = new HashMap<>();
            metadata.put(MID_KEY, mid);
            metadata.put("content_kind", "postback");
            metadata.put("payload", postback.path("payload").asText(""));
            return new NewMessage(new InboundMessages.Inbound(CHANNEL, sender, null, null, "[choice] " + postback.path("title").asText(""),
                    metadata, "instagram:mid:" + mid));
        }
        JsonNode message = event.path("message");
        if (!message.isObject() || message.path("is_echo").asBoolean(false)) {
            return null;
        }
        String sender = WebhookBodies.requiredText(event.path("sender"), path + ".sender.id", "id");
        String mid = WebhookBodies.requiredText(message, path + ".message.mid", "mid");
        if (message.path("is_deleted").asBoolean(false)) {
            return new Edited(sender, mid, "[unsent by the customer]", Map.of("deleted", true));
        }
        Map<String, Object> metadata = new HashMap<>();
        metadata.put(MID_KEY, mid);
        List<Map<String, Object>> attachments = new ArrayList<>();
        for (JsonNode attachment : message.path("attachments")) {
            Map<String, Object> kept = new java.util.LinkedHashMap<>();
            kept.put("kind", attachment.path("type").asText("unsupported"));
            if (attachment.path("payload").hasNonNull("url")) {
                kept.put("url", attachment.path("payload").get("url").asText());
            }
            attachments.add(kept);
        }
        String text = message.hasNonNull("text") ? message.get("text").asText().strip() : "";
        String kinds = attachments.stream().map(a -> "[" + a.get("kind").toString().replace('_', ' ') + "]")
                .collect(java.util.stream.Collectors.joining(" "));
        String content = (kinds + " " + text).strip();
        String kind = attachments.isEmpty() ? "text" : attachments.get(0).get("kind").toString();
        JsonNode story = message.path("reply_to").path("story");
        if (story.isObject()) {
            metadata.put("story_url", story.path("url").asText(""));
            content = ("[story reply] " + content).strip();
            kind = "story_reply";
        }
        if (message.path("quick_reply").hasNonNull("payload")) {
            metadata.put("payload", message.path("quick_reply").get("payload").asText());
        }
        if (!attachments.isEmpty()) {
            metadata.put("attachments", attachments);
        }
        metadata.put("content_kind", content.isEmpty() ? "unsupported" : kind);
        return new NewMessage(new InboundMessages.Inbound(CHANNEL, sender, null, null, content.isEmpty() ? "[unsupported message]" : content,
                metadata, "instagram:mid:" + mid));
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
