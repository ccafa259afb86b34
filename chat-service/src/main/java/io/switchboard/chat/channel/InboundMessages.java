package io.switchboard.chat.channel;

import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.switchboard.contracts.SenderType;
import io.switchboard.contracts.Cause;
import io.switchboard.chat.domain.Contact;
import io.switchboard.chat.domain.Conversation;
import io.switchboard.chat.domain.Conversations;
import io.switchboard.chat.domain.Message;

/**
 * A customer's message from an external channel, stored once. The platform's own id for the message (Telegram's
 * update_id, Instagram's mid) is the idempotency key, checked before anything else, so a webhook delivered twice
 * neither stores the message again nor opens a conversation.
 */
@ApplicationScoped
public class InboundMessages {
    /** Who wrote, as the platform knows them, and what. */
    public record Inbound(String channel, String externalUserId, String firstName, String lastName, String content,
            Map<String, Object> metadata, String dedupeKey) {
    }

    private final Conversations conversations;

    InboundMessages(Conversations conversations) {
        this.conversations = conversations;
    }

    /** Stores the message in the sender's open conversation (started on first contact); empty when it was a repeat. */
    @Transactional
    public Optional<Message> receive(Inbound in) {
        if (Message.findByIdempotencyKey(in.dedupeKey()).isPresent()) {
            return Optional.empty();
        }
        Conversation conversation = Contact.findByExternalId(in.channel(), in.externalUserId())
                .flatMap(contact -> Conversation.latestNotClosed(contact, in.channel()))
                .orElseGet(() -> conversations.start(in.channel(), new Conversations.NewContact(in.firstName(), in.lastName(), null,
                        null, Map.of(), in.channel(), in.externalUserId())));
        return Optional.of(conversations.addMessage(conversation.id,
                new Conversations.NewMessage(SenderType.CUSTOMER, in.content(), null, in.metadata(), in.dedupeKey(), Cause.NONE)));
    }
}
