package io.switchboard.chat.domain;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.micrometer.core.instrument.MeterRegistry;

import io.switchboard.chat.ChatConfig;
import io.switchboard.common.domain.DomainException;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.switchboard.contracts.SenderType;
import io.switchboard.contracts.Cause;
import io.switchboard.contracts.ConversationStatus;
import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.EventType;
import io.switchboard.contracts.Json;

/**
 * Every change to contacts, conversations, messages and tags, with its events written to the outbox in the same
 * transaction. The REST API, the command consumer and the channel webhooks all change things through here, so
 * each path produces the same events.
 */
@ApplicationScoped
public class Conversations {
    public static final String SOURCE = "chat-service";
    private static final int MAX_TAG_LENGTH = 64;

    private final Outbox outbox;
    private final Event<DeliveryQueued> deliveryQueued;
    private final int maxContentLength;

    private final MeterRegistry metrics;

    Conversations(Outbox outbox, Event<DeliveryQueued> deliveryQueued, ChatConfig config, MeterRegistry metrics) {
        this.outbox = outbox;
        this.metrics = metrics;
        this.deliveryQueued = deliveryQueued;
        this.maxContentLength = config.maxContentLength();
    }

    /** Who starts a conversation: from the customer's form, a signed identity (verified) or a channel's user. */
    public record NewContact(String firstName, String lastName, String email, String phone, Map<String, Object> attributes,
            String externalChannel, String externalId, String identityId) {
        public NewContact(String firstName, String lastName, String email, String phone, Map<String, Object> attributes,
                String externalChannel, String externalId) {
            this(firstName, lastName, email, phone, attributes, externalChannel, externalId, null);
        }
    }

    /**
     * Starts a conversation for the contact this is known to be (same channel user, or same verified identity, whose
     * details then come from the newer claims) or for a new contact. Anonymous visitors are a new contact every time:
     * an email or a phone typed into a form proves nothing, so it never attaches a conversation to someone else.
     */
    @Transactional
    public Conversation start(String channel, NewContact input) {
        Contact contact = existingContact(input);
        boolean newContact = contact == null;
        if (newContact) {
            contact = new Contact();
            contact.id = UUID.randomUUID();
            contact.externalChannel = input.externalChannel();
            contact.externalId = input.externalId();
            contact.identityId = input.identityId();
            contact.verified = input.identityId() != null;
            contact.createdAt = Instant.now();
        }
        if (newContact || contact.verified) {
            contact.firstName = input.firstName();
            contact.lastName = input.lastName();
            contact.email = input.email();
            contact.phone = input.phone();
            contact.attributes = input.attributes() == null ? new HashMap<>() : new HashMap<>(input.attributes());
        }
        if (newContact) {
            contact.persist();
        }
        var conversation = new Conversation();
        conversation.id = UUID.randomUUID();
        conversation.contact = contact;
        conversation.channel = channel;
        conversation.status = ConversationStatus.OPEN;
        conversation.createdAt = conversation.updatedAt = Instant.now();
        conversation.persist();
        if (newContact) {
            emit(EventType.USER_CREATED, conversation, Cause.NONE, null);
        }
        emit(EventType.CONVERSATION_CREATED, conversation, Cause.NONE, null);
        return conversation;
    }

    private static Contact existingContact(NewContact input) {
        if (input.externalId() != null) {
            return Contact.findByExternalId(input.externalChannel(), input.externalId()).orElse(null);
        }
        if (input.identityId() != null) {
            return Contact.findByIdentity(input.identityId()).orElse(null);
        }
        return null;
    }

    /** Filters of the conversation list; a null field does not filter. */
    public record ListFilter(String status, String tag, UUID assigneeId, boolean unassigned) {
    }

    /** The conversations that pass the filter, most recently updated first. */
    public Views.Page<Views.ConversationView> list(ListFilter filter, int page, int size) {
        StringBuilder query = new StringBuilder("1 = 1");
        Parameters params = new Parameters();
        if (filter.status() != null) {
            query.append(" and status = :status");
            params.and("status", filter.status());
        }
        if (filter.tag() != null) {
            query.append(" and array_contains(tags, :tag)");
            params.and("tag", filter.tag());
        }
        if (filter.unassigned()) {
            query.append(" and assigneeId is null");
        } else if (filter.assigneeId() != null) {
            query.append(" and assigneeId = :assignee");
            params.and("assignee", filter.assigneeId());
        }
        var found = Conversation.<Conversation>find(query.toString(), Sort.descending("updatedAt"), params).page(Page.of(page, size));
        return new Views.Page<>(found.list().stream().map(Views.ConversationView::of).toList(), page, size, found.count());
    }

    public Conversation get(UUID conversationId) {
        Conversation conversation = Conversation.findById(conversationId);
        if (conversation == null) {
            throw DomainException.notFound("conversation " + conversationId + " not found");
        }
        return conversation;
    }

    /** One message of a conversation; 404 when it is not in that conversation. */
    public Message message(UUID conversationId, UUID messageId) {
        Message message = Message.findById(messageId);
        if (message == null || !message.conversationId.equals(conversationId)) {
            throw DomainException.notFound("message " + messageId + " not found in conversation " + conversationId);
        }
        return message;
    }

    /** A conversation's messages, oldest first. */
    public Views.Page<Views.MessageView> messages(UUID conversationId, int page, int size) {
        get(conversationId);
        var found = Message.<Message>find("conversationId", Sort.ascending("createdAt", "id"), conversationId).page(Page.of(page, size));
        return new Views.Page<>(found.list().stream().map(Views.MessageView::of).toList(), page, size, found.count());
    }

    public record NewMessage(SenderType sender, String content, String messageType, Map<String, Object> metadata,
            String idempotencyKey, Cause cause, Author author) {
        public NewMessage(SenderType sender, String content, String messageType, Map<String, Object> metadata,
                String idempotencyKey, Cause cause) {
            this(sender, content, messageType, metadata, idempotencyKey, cause, null);
        }
    }

    /** The agent account that wrote a message, with the name the customer is shown. */
    public record Author(UUID id, String name) {
    }

    /**
     * Stores a message once: a second call with the same idempotency key returns the first message and changes
     * nothing. Customer messages fire {@code message_received}; every message fires {@code message_created}.
     */
    @Transactional
    public Message addMessage(UUID conversationId, NewMessage input) {
        validateContent(input.content());
        Conversation conversation = Conversation.lockById(conversationId)
                .orElseThrow(() -> DomainException.notFound("conversation " + conversationId + " not found"));
        if (input.idempotencyKey() != null) {
            var existing = Message.findByIdempotencyKey(input.idempotencyKey());
            if (existing.isPresent()) {
                return existing.get();
            }
        }
        var message = new Message();
        message.id = UUID.randomUUID();
        message.conversationId = conversationId;
        message.senderType = input.sender().wire();
        if (input.author() != null) {
            message.senderId = input.author().id();
            message.senderName = input.author().name();
        }
        message.content = input.content();
        message.messageType = input.messageType();
        message.metadata = input.metadata() == null ? new HashMap<>() : new HashMap<>(input.metadata());
        message.idempotencyKey = input.idempotencyKey();
        // our side's messages to an external channel wait for delivery; the notifier delivers web messages
        message.deliveryStatus = input.sender() != SenderType.CUSTOMER && !"web".equals(conversation.channel)
                ? Message.DELIVERY_PENDING : null;
        message.createdAt = Instant.now();
        message.persist();
        if (message.deliveryStatus != null) {
            deliveryQueued.fire(new DeliveryQueued());
        }
        if (input.sender() == SenderType.CUSTOMER) {
            metrics.counter("switchboard.messages.in", "channel", conversation.channel).increment();
        } else {
            metrics.counter("switchboard.messages.out", "channel", conversation.channel, "sender", input.sender().wire()).increment();
        }
        conversation.updatedAt = message.createdAt;

        ObjectNode messageData = Json.MAPPER.valueToTree(Views.MessageView.of(message));
        java.util.function.Consumer<ObjectNode> withMessage = data -> {
            data.set("message", messageData);
            data.put("content", message.content);
        };
        emit(EventType.MESSAGE_CREATED, conversation, input.cause(), withMessage);
        if (input.sender() == SenderType.CUSTOMER) {
            emit(EventType.MESSAGE_RECEIVED, conversation, input.cause(), withMessage);
        }
        return message;
    }

    @Transactional
    public Conversation setStatus(UUID conversationId, String status, Cause cause) {
        if (status == null || !ConversationStatus.ALL.contains(status)) {
            throw DomainException.invalid("status", "status must be one of " + ConversationStatus.ALL);
        }
        Conversation conversation = lock(conversationId);
        if (!status.equals(conversation.status)) {
            String previous = conversation.status;
            conversation.status = status;
            conversation.updatedAt = Instant.now();
            emit(EventType.CONVERSATION_UPDATED, conversation, cause, data -> data.put("previous_status", previous));
        }
        return conversation;
    }

    /** An agent's change of status and/or assignee, in one transaction; an absent field stays as it is. */
    @Transactional
    public Conversation change(UUID conversationId, String status, java.util.Optional<UUID> assignee, Cause cause) {
        Conversation conversation = null;
        if (status != null) {
            conversation = setStatus(conversationId, status, cause);
        }
        if (assignee != null) {
            conversation = assign(conversationId, assignee.orElse(null), cause);
        }
        return conversation;
    }

    /** Assigns the conversation to an agent account (null: unassigns); the agent must exist and be active. */
    @Transactional
    public Conversation assign(UUID conversationId, UUID assigneeId, Cause cause) {
        Conversation conversation = lock(conversationId);
        if (assigneeId != null) {
            Agent agent = Agent.findById(assigneeId);
            if (agent == null || !agent.active) {
                throw DomainException.invalid("assignee_id", "assignee_id must be an active agent's id");
            }
            agent.lastAssignedAt = Instant.now();
        }
        if (!java.util.Objects.equals(assigneeId, conversation.assigneeId)) {
            UUID previous = conversation.assigneeId;
            conversation.assigneeId = assigneeId;
            conversation.updatedAt = Instant.now();
            emit(EventType.CONVERSATION_UPDATED, conversation, cause,
                    data -> data.put("previous_assignee_id", previous == null ? null : previous.toString()));
        }
        return conversation;
    }

    /** Assigns the conversation to the active agent whose last assignment is the oldest; unchanged when there is none. */
    @Transactional
    public Conversation assignRoundRobin(UUID conversationId, Cause cause) {
        // the conversation first, then the agent: the same lock order as a manual assignment
        Conversation conversation = lock(conversationId);
        return Agent.nextInRotation().map(agent -> assign(conversationId, agent.id, cause)).orElse(conversation);
    }

    @Transactional
    public Conversation addTag(UUID conversationId, String rawTag, Cause cause) {
        String tag = validTag(rawTag);
        Conversation conversation = lock(conversationId);
        if (!conversation.tags.contains(tag)) {
            conversation.tags = new java.util.ArrayList<>(conversation.tags);
            conversation.tags.add(tag);
            conversation.updatedAt = Instant.now();
            emit(EventType.TAG_ADDED, conversation, cause, data -> data.put("tag", tag));
            emit(EventType.CONVERSATION_UPDATED, conversation, cause, null);
        }
        return conversation;
    }

    @Transactional
    public Conversation removeTag(UUID conversationId, String rawTag, Cause cause) {
        String tag = validTag(rawTag);
        Conversation conversation = lock(conversationId);
        if (conversation.tags.contains(tag)) {
            conversation.tags = new java.util.ArrayList<>(conversation.tags);
            conversation.tags.remove(tag);
            conversation.updatedAt = Instant.now();
            emit(EventType.TAG_REMOVED, conversation, cause, data -> data.put("tag", tag));
            emit(EventType.CONVERSATION_UPDATED, conversation, cause, null);
        }
        return conversation;
    }

    private static Conversation lock(UUID conversationId) {
        return Conversation.lockById(conversationId)
                .orElseThrow(() -> DomainException.notFound("conversation " + conversationId + " not found"));
    }

    private void validateContent(String content) {
        if (content == null || content.isBlank()) {
            throw DomainException.invalid("content", "content must not be empty");
        }
        if (content.length() > maxContentLength) {
            throw DomainException.invalid("content", "content is longer than " + maxContentLength + " characters");
        }
    }

    private static String validTag(String tag) {
        String trimmed = tag == null ? "" : tag.strip();
        if (trimmed.isEmpty() || trimmed.length() > MAX_TAG_LENGTH) {
            throw DomainException.invalid("tag", "tag must have 1 to " + MAX_TAG_LENGTH + " characters");
        }
        return trimmed;
    }

    /**
     * A customer's message edited on their platform: the stored text becomes the new one ({@code edited_at} set) and a
     * {@code message_updated} event tells the sockets. An edit that changes nothing (a repeated webhook) is ignored.
     */
    @Transactional
    public Optional<Message> editMessage(UUID messageId, String content, Map<String, Object> metadata) {
        validateContent(content);
        Message message = Message.findById(messageId);
        if (message == null || content.equals(message.content)) {
            return Optional.empty();
        }
        Conversation conversation = Conversation.lockById(message.conversationId).orElseThrow();
        message.content = content;
        message.metadata.putAll(metadata);
        message.editedAt = Instant.now();
        ObjectNode messageData = Json.MAPPER.valueToTree(Views.MessageView.of(message));
        emit(EventType.MESSAGE_UPDATED, conversation, Cause.NONE, data -> {
            data.set("message", messageData);
            data.put("content", message.content);
        });
        return Optional.of(message);
    }

    /**
     * What the platform says about one of our messages (the customer read it, reacted to it): metadata entries set
     * (a null value removes one) and a {@code message_updated} event; nothing when nothing changes.
     */
    @Transactional
    public Optional<Message> annotate(UUID messageId, Map<String, Object> entries) {
        Message message = Message.findById(messageId);
        if (message == null) {
            return Optional.empty();
        }
        Map<String, Object> metadata = new HashMap<>(message.metadata);
        entries.forEach((key, value) -> {
            if (value == null) {
                metadata.remove(key);
            } else {
                metadata.put(key, value);
            }
        });
        if (metadata.equals(message.metadata)) {
            return Optional.empty();
        }
        Conversation conversation = Conversation.lockById(message.conversationId).orElseThrow();
        message.metadata = metadata;
        ObjectNode messageData = Json.MAPPER.valueToTree(Views.MessageView.of(message));
        emit(EventType.MESSAGE_UPDATED, conversation, Cause.NONE, data -> {
            data.set("message", messageData);
            data.put("content", message.content);
        });
        return Optional.of(message);
    }

    /** Every event carries the conversation and its contact as they are now: workflows template from them. */
    private void emit(EventType type, Conversation conversation, Cause cause, java.util.function.Consumer<ObjectNode> extra) {
        ObjectNode data = Json.object();
        var view = Views.ConversationView.of(conversation);
        data.set("conversation", Json.MAPPER.valueToTree(view));
        data.set("contact", Json.MAPPER.valueToTree(view.contact()));
        if (extra != null) {
            extra.accept(data);
        }
        outbox.add(Envelope.of(type, SOURCE, conversation.id.toString(), cause, data));
    }
}
