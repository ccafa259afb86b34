package io.switchboard.chat.channel;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.switchboard.chat.channel.instagram.InstagramFiles;
import io.switchboard.chat.channel.instagram.InstagramWebhook;
import io.switchboard.chat.channel.telegram.TelegramFiles;
import io.switchboard.chat.channel.telegram.TelegramWebhook;
import io.switchboard.chat.domain.Conversations;
import io.switchboard.chat.domain.Message;
import io.switchboard.common.domain.DomainException;

/**
 * The files customers sent through a channel (a photo of the broken part, an invoice), fetched from the platform
 * when someone allowed to read the conversation opens them: at most {@link #MAX_BYTES}, kept a few minutes in memory
 * so an inbox that redraws does not fetch them again.
 */
@ApplicationScoped
public class Attachments {
    public static final long MAX_BYTES = 20_000_000;
    private static final Duration KEEP = Duration.ofMinutes(5);
    private static final int KEEP_ENTRIES = 32;
    private static final long KEEP_BYTES_EACH = 5_000_000;
    /** Kinds a browser may show inline: the others are offered as downloads. */
    private static final Set<String> IMAGES = Set.of("image/jpeg", "image/png", "image/webp", "image/gif");

    /** A file's bytes and content type. */
    public record Download(byte[] bytes, String contentType) {
    }

    /** What the API serves: the bytes, the type, a file name, and whether a browser may show it inline. */
    public record Attachment(byte[] bytes, String contentType, String fileName, boolean inline) {
    }

    private record Kept(Download download, Instant until) {
    }

    private final Conversations conversations;
    private final TelegramFiles telegram;
    private final InstagramFiles instagram;
    private final Map<String, Kept> kept = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Kept> eldest) {
            return size() > KEEP_ENTRIES;
        }
    };

    Attachments(Conversations conversations, TelegramFiles telegram, InstagramFiles instagram) {
        this.conversations = conversations;
        this.telegram = telegram;
        this.instagram = instagram;
    }

    /** Attachment number {@code n} of a message of that conversation; 404 when there is none. */
    public Attachment open(UUID conversationId, UUID messageId, int n) {
        Message message = conversations.message(conversationId, messageId);
        Object listed = message.metadata.get("attachments");
        if (!(listed instanceof List<?> attachments) || n < 0 || n >= attachments.size() || !(attachments.get(n) instanceof Map<?, ?> file)) {
            throw DomainException.notFound("message " + messageId + " has no attachment " + n);
        }
        String channel = conversations.get(conversationId).channel;
        Download download;
        if (TelegramWebhook.CHANNEL.equals(channel) && file.get("file_id") instanceof String fileId) {
            download = cachedOrFetched(channel + ":" + fileId, () -> telegram.download(fileId, MAX_BYTES));
        } else if (InstagramWebhook.CHANNEL.equals(channel) && file.get("url") instanceof String url) {
            download = cachedOrFetched(channel + ":" + url, () -> instagram.download(url, MAX_BYTES));
        } else {
            throw DomainException.notFound("this attachment cannot be opened here");
        }
        String kind = String.valueOf(file.get("kind"));
        String type = file.get("mime_type") instanceof String mime ? mime
                : "photo".equals(kind) ? "image/jpeg" : "sticker".equals(kind) ? "image/webp"
                : download.contentType().split(";")[0].strip();
        String name = file.get("file_name") instanceof String given ? given : kind + "-" + messageId + extension(type);
        return new Attachment(download.bytes(), type, name, IMAGES.contains(type));
    }

    /** Reads at most {@code maxBytes} of a platform's answer; more is refused rather than held in memory. */
    public static Download readBounded(java.io.InputStream in, String contentType, long maxBytes) throws java.io.IOException {
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE, maxBytes + 1));
        if (bytes.length > maxBytes) {
            throw DomainException.invalid("attachment", "the file is larger than " + maxBytes / 1_000_000 + " MB");
        }
        return new Download(bytes, contentType);
    }

    private Download cachedOrFetched(String key, java.util.function.Supplier<Download> fetch) {
        synchronized (kept) {
            Kept hit = kept.get(key);
            if (hit != null && hit.until().isAfter(Instant.now())) {
                return hit.download();
            }
        }
        Download download = fetch.get();
        if (download.bytes().length <= KEEP_BYTES_EACH) {
            synchronized (kept) {
                kept.put(key, new Kept(download, Instant.now().plus(KEEP)));
            }
        }
        return download;
    }

    private static String extension(String type) {
        return switch (type) {
            case "image/jpeg" -> ".jpg";
            case "image/png" -> ".png";
            case "image/webp" -> ".webp";
            case "application/pdf" -> ".pdf";
            case "audio/ogg" -> ".ogg";
            case "video/mp4" -> ".mp4";
            default -> "";
        };
    }
}
