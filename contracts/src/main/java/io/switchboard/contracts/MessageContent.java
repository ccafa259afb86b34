package io.switchboard.contracts;

/**
 * What one chat message may hold, whoever writes it: chat-service stores no longer text, workflows may not send it,
 * and ai-service sends a longer answer in parts.
 */
public final class MessageContent {
    /** In UTF-16 characters ({@code String.length()}): Telegram's limit for one message. */
    public static final int MAX_LENGTH = 4096;

    private MessageContent() {
    }
}
