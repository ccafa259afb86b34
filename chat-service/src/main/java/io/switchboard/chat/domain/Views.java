package io.switchboard.chat.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The JSON shapes of event payloads, which the API returns as they are: one shape for both, so an event says what a
 * GET would. They live with the domain because the domain writes the events.
 */
public final class Views {
    private Views() {
    }

    public record ContactView(UUID id, String firstName, String lastName, String email, String phone,
            Map<String, Object> attributes, boolean verified, String channel, Instant createdAt) {
        static ContactView of(Contact c) {
            return new ContactView(c.id, c.firstName, c.lastName, c.email, c.phone, c.attributes, c.verified, c.externalChannel,
                    c.createdAt);
        }
    }

    public record ConversationView(UUID id, UUID contactId, String channel, String status, List<String> tags,
            UUID assigneeId, ContactView contact, Integer rating, Instant createdAt, Instant updatedAt) {
        public static ConversationView of(Conversation c) {
            return new ConversationView(c.id, c.contact.id, c.channel, c.status, List.copyOf(c.tags), c.assigneeId,
                    ContactView.of(c.contact), c.rating, c.createdAt, c.updatedAt);
        }
    }

    /** A conversation in an agent's list: how many of the customer's messages that agent has not read yet. */
    public record ConversationSummary(@com.fasterxml.jackson.annotation.JsonUnwrapped ConversationView conversation,
            Long unreadCount) {
    }

    public record MessageView(UUID id, UUID conversationId, String senderType, UUID senderId, String senderName, String content,
            String messageType, Map<String, Object> metadata, @com.fasterxml.jackson.annotation.JsonProperty("private") boolean privateNote,
            String deliveryStatus, String deliveryError, Instant createdAt, Instant editedAt) {
        public static MessageView of(Message m) {
            return new MessageView(m.id, m.conversationId, m.senderType, m.senderId, m.senderName, m.content, m.messageType,
                    m.metadata, m.privateNote, m.deliveryStatus, m.deliveryError, m.createdAt, m.editedAt);
        }
    }

    public record Page<T>(List<T> items, int page, int size, long total) {
    }
}
