package io.switchboard.chat.channel.telegram;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a Telegram message says, for an agent reading the inbox: text as it is; other content as a line that keeps
 * what matters (a contact's phone, a location's coordinates and a map link, a venue's address, a poll's question, the
 * dice's value, who a message was forwarded from), and the file ids of photos, documents, voice, video and stickers in
 * the metadata ({@code attachments}), so the file can be fetched later without the bot token ever reaching a browser.
 */
final class TelegramContent {
    /** Media whose file a message carries; photo is a list of sizes (the last is the largest). */
    static final List<String> FILE_KINDS = List.of("photo", "video", "animation", "voice", "audio", "video_note", "document", "sticker");
    // a venue message carries its location too: venue first
    static final List<String> OTHER_KINDS = List.of("contact", "venue", "location", "poll", "dice");
    /** Keys of service messages: something happened in the chat, nobody wrote to us. */
    static final Set<String> SERVICE_KEYS = Set.of("new_chat_members", "left_chat_member", "new_chat_title", "new_chat_photo",
            "delete_chat_photo", "group_chat_created", "supergroup_chat_created", "channel_chat_created",
            "message_auto_delete_timer_changed", "migrate_to_chat_id", "migrate_from_chat_id", "pinned_message",
            "users_shared", "chat_shared", "connected_website", "write_access_allowed", "proximity_alert_triggered",
            "boost_added", "chat_background_set", "forum_topic_created", "forum_topic_edited", "forum_topic_closed",
            "forum_topic_reopened", "general_forum_topic_hidden", "general_forum_topic_unhidden", "giveaway_created",
            "giveaway_completed", "video_chat_scheduled", "video_chat_started", "video_chat_ended",
            "video_chat_participants_invited", "successful_payment", "refunded_payment");

    /** The text an agent reads, the kind, and what is kept besides. */
    record Content(String kind, String text, Map<String, Object> metadata) {
    }

    private TelegramContent() {
    }

    static boolean isServiceMessage(JsonNode message) {
        return SERVICE_KEYS.stream().anyMatch(message::has);
    }

    static Content of(JsonNode message) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        String kind = message.hasNonNull("text") ? "text"
                : FILE_KINDS.stream().filter(message::has).findFirst()
                        .or(() -> OTHER_KINDS.stream().filter(message::has).findFirst()).orElse("unsupported");
        String text = switch (kind) {
            case "text" -> message.get("text").asText();
            case "contact" -> contact(message.get("contact"), metadata);
            case "location" -> "[location] " + place(message.get("location"), metadata);
            case "venue" -> venue(message.get("venue"), metadata);
            case "poll" -> "[poll] " + message.path("poll").path("question").asText("");
            case "dice" -> "[dice " + message.path("dice").path("emoji").asText("🎲") + " " + message.path("dice").path("value").asInt() + "]";
            case "unsupported" -> "[unsupported message]";
            default -> file(kind, message, metadata);
        };
        if (!"text".equals(kind) && message.hasNonNull("caption")) {
            text += " " + message.get("caption").asText();
        }
        String forwardedFrom = forwardedFrom(message);
        if (forwardedFrom != null) {
            metadata.put("forwarded_from", forwardedFrom);
            text = "[forwarded from " + forwardedFrom + "] " + text;
        }
        metadata.put("content_kind", kind);
        return new Content(kind, text, metadata);
    }

    private static String contact(JsonNode contact, Map<String, Object> metadata) {
        String name = (contact.path("first_name").asText("") + " " + contact.path("last_name").asText("")).strip();
        String phone = contact.path("phone_number").asText("");
        Map<String, Object> kept = new LinkedHashMap<>();
        kept.put("name", name);
        kept.put("phone_number", phone);
        metadata.put("contact", kept);
        return ("[contact] " + name + " " + phone).strip();
    }

    private static String place(JsonNode location, Map<String, Object> metadata) {
        double latitude = location.path("latitude").asDouble();
        double longitude = location.path("longitude").asDouble();
        String coordinates = String.format(Locale.ROOT, "%.6f, %.6f", latitude, longitude);
        String map = String.format(Locale.ROOT, "https://www.openstreetmap.org/?mlat=%.6f&mlon=%.6f", latitude, longitude);
        metadata.put("location", Map.of("latitude", latitude, "longitude", longitude, "map", map));
        return coordinates + " " + map;
    }

    private static String venue(JsonNode venue, Map<String, Object> metadata) {
        String title = venue.path("title").asText("");
        String address = venue.path("address").asText("");
        metadata.put("venue", Map.of("title", title, "address", address));
        return "[venue] " + title + ", " + address + " " + place(venue.path("location"), metadata);
    }

    /** {@code [photo]}, {@code [document invoice.pdf]}, {@code [sticker 😀]}, with the file's ids in the metadata. */
    private static String file(String kind, JsonNode message, Map<String, Object> metadata) {
        JsonNode media = message.get(kind);
        if (media.isArray()) {
            media = media.isEmpty() ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : media.get(media.size() - 1);
        }
        Map<String, Object> attachment = new LinkedHashMap<>();
        attachment.put("kind", kind);
        for (String field : List.of("file_id", "file_unique_id", "file_name", "mime_type", "file_size", "width", "height", "duration")) {
            if (media.hasNonNull(field)) {
                attachment.put(field, media.get(field).isNumber() ? media.get(field).numberValue() : media.get(field).asText());
            }
        }
        List<Object> attachments = new ArrayList<>();
        attachments.add(attachment);
        metadata.put("attachments", attachments);
        StringBuilder text = new StringBuilder("[").append(kind.replace('_', ' '));
        if ("sticker".equals(kind) && media.hasNonNull("emoji")) {
            text.append(' ').append(media.get("emoji").asText());
        }
        if (media.hasNonNull("file_name")) {
            text.append(' ').append(media.get("file_name").asText());
        }
        return text.append(']').toString();
    }

    /** The name of whoever a forwarded message first came from: a user, a hidden user, a chat or a channel. */
    private static String forwardedFrom(JsonNode message) {
        JsonNode origin = message.path("forward_origin");
        if (origin.isObject()) {
            JsonNode user = origin.path("sender_user");
            if (user.isObject()) {
                return (user.path("first_name").asText("") + " " + user.path("last_name").asText("")).strip();
            }
            if (origin.hasNonNull("sender_user_name")) {
                return origin.get("sender_user_name").asText();
            }
            JsonNode chat = origin.has("sender_chat") ? origin.get("sender_chat") : origin.path("chat");
            if (chat.hasNonNull("title")) {
                return chat.get("title").asText();
            }
        }
        // before Bot API 7.0
        if (message.path("forward_from").isObject()) {
            return message.path("forward_from").path("first_name").asText("");
        }
        return message.hasNonNull("forward_sender_name") ? message.get("forward_sender_name").asText() : null;
    }
}
