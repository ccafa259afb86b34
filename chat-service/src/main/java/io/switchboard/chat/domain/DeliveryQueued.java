package io.switchboard.chat.domain;

/**
 * Fired in the transaction that stored a message for an external channel: once it commits, the outbound delivery
 * wakes up and sends it (a CDI event, so the domain does not know the channels).
 */
public record DeliveryQueued() {
}
