package io.switchboard.chat.channel;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.switchboard.contracts.SenderType;
import io.switchboard.contracts.Cause;
import io.switchboard.chat.channel.delivery.OutboundDelivery;
import io.switchboard.chat.domain.Contact;
import io.switchboard.chat.domain.Conversation;
import io.switchboard.chat.domain.Conversations;
import io.switchboard.chat.domain.IdempotencyKeys;
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
    private final IdempotencyKeys idempotencyKeys;

    InboundMessages(Conversations conversations, IdempotencyKeys idempotencyKeys) {
        this.idempotencyKeys = idempotencyKeys;
        this.conversations = conversations;
    }

    /**
     * An edit of a customer's message, found by the platform's id for it ({@code idKey} in its metadata) among the
     * sender's conversations; empty when there is no such message or the edit changes nothing.
     */
    @Transactional
    public Optional<Message> edit(String channel, String externalUserId, String idKey, String platformId, String content,
            Map<String, Object> metadata) {
        return find(channel, externalUserId, true, idKey, platformId).flatMap(id -> conversations.editMessage(id, content, metadata));
    }

    /**
     * Where a customer came from (an ad's ref, a link), kept as attributes of their contact, so workflows can use it
     * ({@code contact.referral_ref}); false when the platform has not shown us this customer yet.
     */
    @Transactional
    public boolean refer(String channel, String externalUserId, Map<String, Object> attributes) {
        return Contact.findByExternalId(channel, externalUserId).map(contact -> {
            contact.attributes.putAll(attributes);
            return true;
        }).orElse(false);
    }

    /** Marks one of our messages in that customer's conversations (read, a reaction), found by the platform's id for it. */
    @Transactional
    public Optional<Message> annotateOurs(String channel, String externalUserId, String platformId, Map<String, Object> entries) {
        return find(channel, externalUserId, false, OutboundDelivery.EXTERNAL_MESSAGE_ID, platformId).flatMap(id -> conversations.annotate(id, entries));
    }

    private static Optional<UUID> find(String channel, String externalUserId, boolean customers, String idKey, String platformId) {
        @SuppressWarnings("unchecked")
        List<UUID> found = Message.getEntityManager().createNativeQuery("""
                select m.id from messages m join conversations c on c.id = m.conversation_id join contacts ct on ct.id = c.contact_id
                 where ct.external_channel = ?1 and ct.external_id = ?2 and (m.sender_type = 'customer') = ?5
                   and (m.metadata ->> ?3 = ?4
                        or (not ?5 and m.metadata -> '%s' @> jsonb_build_array(cast(?4 as text))))
                 order by m.created_at desc limit 1""".formatted(OutboundDelivery.EXTERNAL_MESSAGE_IDS))
                .setParameter(1, channel).setParameter(2, externalUserId).setParameter(3, idKey).setParameter(4, platformId)
                .setParameter(5, customers).getResultList();
        return found.stream().findFirst();
    }

    /** Stores the message in the sender's open conversation (started on first contact); empty when it was a repeat. */
    @Transactional
    public Optional<Message> receive(Inbound in) {
        // found absent, the key costs addMessage no second look
        if (idempotencyKeys.find(in.dedupeKey()).isPresent()) {
            return Optional.empty();
        }
        UUID conversationId = Contact.findByExternalId(in.channel(), in.externalUserId())
                .flatMap(contact -> Conversation.latestNotClosed(contact, in.channel()))
                .orElseGet(() -> conversations.start(in.channel(), new Conversations.NewContact(in.firstName(), in.lastName(), null,
                        null, Map.of(), in.channel(), in.externalUserId())).id);
        return Optional.of(conversations.addMessage(conversationId,
                new Conversations.NewMessage(SenderType.CUSTOMER, in.content(), null, in.metadata(), in.dedupeKey(), Cause.NONE)));
    }
}
