package io.switchboard.chat.channel.delivery;

import java.time.Duration;

/** What a platform said to one send. */
public sealed interface SendResult {
    /** Accepted; {@code externalId} is the platform's id of the sent message. */
    record Sent(String externalId) implements SendResult {
    }

    /** Not now (429, 5xx, network): try again, no sooner than {@code after} when the platform said so. */
    record Retry(String reason, Duration after) implements SendResult {
    }

    /** Never (4xx other than 429): retrying would fail the same way. */
    record Rejected(String reason) implements SendResult {
    }
}
