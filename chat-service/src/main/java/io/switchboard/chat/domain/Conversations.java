package io.switchboard.chat.domain;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
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
    private final ChatConfig.Csat csat;

    private final MeterRegistry metrics;
    private final IdempotencyKeys idempotencyKeys;

    Conversations(Outbox outbox, Event<DeliveryQueued> deliveryQueued, ChatConfig config, MeterRegistry metrics,
            IdempotencyKeys idempotencyKeys) {
        this.outbox = outbox;
        this.idempotencyKeys = idempotencyKeys;
        this.metrics = metrics;
        this.deliveryQueued = deliveryQueued;
        this.maxContentLength = config.maxContentLength();
        this.csat = config.csat();
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

    /**
     * The conversations that pass the filter, most recently updated first, each with the number of customer messages
     * the reader (an agent account; null: nobody, no counts) has not read.
     */
    public Views.Page<Views.ConversationSummary> list(ListFilter filter, UUID reader, int page, int size) {
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
        List<Conversation> conversations = found.list();
        Map<UUID, Long> unread = reader == null ? Map.of() : unreadCounts(reader, conversations.stream().map(c -> c.id).toList());
        return new Views.Page<>(conversations.stream().map(c -> new Views.ConversationSummary(Views.ConversationView.of(c),
                reader == null ? null : unread.getOrDefault(c.id, 0L))).toList(), page, size, found.count());
    }

    /** Customer messages newer than what the agent has read, per conversation (absent: none). */
    private static Map<UUID, Long> unreadCounts(UUID agentId, List<UUID> conversationIds) {
        if (conversationIds.isEmpty()) {
            return Map.of();
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = Message.getEntityManager().createNativeQuery("""
                select m.conversation_id, count(*) from messages m
                  left join conversation_reads r on r.conversation_id = m.conversation_id and r.agent_id = :agent
                 where m.conversation_id in (:ids) and m.sender_type = 'customer'
                   and (r.read_up_to is null or m.created_at > r.read_up_to)
                 group by m.conversation_id""")
                .setParameter("agent", agentId).setParameter("ids", conversationIds).getResultList();
        Map<UUID, Long> counts = new HashMap<>();
        for (Object[] row : rows) {
            counts.put((UUID) row[0], ((Number) row[1]).longValue());
        }
        return counts;
    }

    public Conversation get(UUID conversationId) {
        Conversation conversation = Conversation.findById(conversationId);
        if (conversation == null) {
            throw DomainException.notFound("conversation", conversationId);
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

    /** A conversation's messages, oldest first; private notes only when {@code withNotes} (for agents). */
    public Views.Page<Views.MessageView> messages(UUID conversationId, boolean withNotes, int page, int size) {
        get(conversationId);
        var found = (withNotes
                ? Message.<Message>find("conversationId", Sort.ascending("createdAt", "id"), conversationId)
                : Message.<Message>find("conversationId = ?1 and privateNote = false", Sort.ascending("createdAt", "id"), conversationId))
                .page(Page.of(page, size));
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
     * nothing. A customer's message fires {@code message_received}, any other (a rating answer too) {@code message_created}.
     */
    @Transactional
    public Message addMessage(UUID conversationId, NewMessage input) {
        validateContent(input.content());
        Conversation conversation = Conversation.lockById(conversationId)
                .orElseThrow(() -> DomainException.notFound("conversation", conversationId));
        if (input.idempotencyKey() != null) {
            var existing = idempotencyKeys.find(input.idempotencyKey());
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
        boolean ratingReply = input.sender() == SenderType.CUSTOMER && isRatingReply(conversation, input.content());
        if (input.sender() == SenderType.CUSTOMER) {
            metrics.counter("switchboard.messages.in", "channel", conversation.channel).increment();
        } else {
            metrics.counter("switchboard.messages.out", "channel", conversation.channel, "sender", input.sender().wire()).increment();
        }
        conversation.updatedAt = message.createdAt;

        ObjectNode messageData = Json.MAPPER.valueToTree(Views.MessageView.of(message));
        // one event a message: the answer to "how would you rate us" is a rating, not a question for workflows or the model
        emit(input.sender() == SenderType.CUSTOMER && !ratingReply ? EventType.MESSAGE_RECEIVED : EventType.MESSAGE_CREATED,
                conversation, input.cause(), data -> {
                    data.set("message", messageData);
                    data.put("content", message.content);
                });
        if (ratingReply) {
            recordRating(conversation, Integer.parseInt(input.content().strip()), input.cause());
        }
        return message;
    }

    /** An agent's private note: stored with the conversation's messages, announced to agents only. */
    @Transactional
    public Message addNote(UUID conversationId, String content, Author author) {
        validateContent(content);
        Conversation conversation = lock(conversationId);
        var note = new Message();
        note.id = UUID.randomUUID();
        note.conversationId = conversationId;
        note.senderType = SenderType.AGENT.wire();
        if (author != null) {
            note.senderId = author.id();
            note.senderName = author.name();
        }
        note.content = content;
        note.privateNote = true;
        note.createdAt = Instant.now();
        note.persist();
        // the conversation's updated_at stays: a note is not activity the customer or a workflow's idle clock sees
        ObjectNode noteData = Json.MAPPER.valueToTree(Views.MessageView.of(note));
        emit(EventType.NOTE_CREATED, conversation, Cause.NONE, data -> data.set("message", noteData));
        return note;
    }

    /**
     * The agent has read the conversation up to its latest customer-visible message. Returns whether that moved their
     * read position; when it did, a {@code conversation_read} event tells the customer's widget.
     */
    @Transactional
    public boolean markRead(UUID conversationId, UUID agentId) {
        Conversation conversation = lock(conversationId);
        Instant latest = (Instant) Message.getEntityManager().createQuery(
                "select max(m.createdAt) from Message m where m.conversationId = ?1 and m.privateNote = false")
                .setParameter(1, conversationId).getSingleResult();
        if (latest == null || agentId == null) {
            return false;
        }
        int moved = Message.getEntityManager().createNativeQuery("""
                insert into conversation_reads (agent_id, conversation_id, read_up_to) values (?1, ?2, ?3)
                on conflict (agent_id, conversation_id) do update set read_up_to = excluded.read_up_to
                 where conversation_reads.read_up_to < excluded.read_up_to""")
                .setParameter(1, agentId).setParameter(2, conversationId).setParameter(3, latest).executeUpdate();
        if (moved == 0) {
            return false;
        }
        emit(EventType.CONVERSATION_READ, conversation, Cause.NONE, data -> data.putObject("read")
                .put("agent_id", agentId.toString()).put("up_to", latest.toString()));
        return true;
    }

    /** The customer's rating of a resolved conversation, 1 to 5, once. */
    @Transactional
    public Conversation rate(UUID conversationId, Integer rating) {
        if (rating == null || rating < 1 || rating > 5) {
            throw DomainException.invalid("rating", "rating must be a whole number from 1 to 5");
        }
        Conversation conversation = lock(conversationId);
        if (conversation.rating != null) {
            throw DomainException.invalid("rating", "this conversation has been rated already");
        }
        if (conversation.ratingRequestedAt == null) {
            throw DomainException.invalid("rating", "a conversation can be rated once it is resolved");
        }
        recordRating(conversation, rating, Cause.NONE);
        return conversation;
    }

    private void recordRating(Conversation conversation, int rating, Cause cause) {
        conversation.rating = rating;
        conversation.ratedAt = Instant.now();
        conversation.updatedAt = conversation.ratedAt;
        metrics.counter("switchboard.csat.ratings", "rating", Integer.toString(rating)).increment();
        emit(EventType.CONVERSATION_UPDATED, conversation, cause, data -> data.put("rating", rating));
    }

    private static boolean isRatingReply(Conversation conversation, String content) {
        return !"web".equals(conversation.channel) && conversation.ratingRequestedAt != null && conversation.rating == null
                && content != null && content.strip().matches("[1-5]");
    }

    /**
     * A conversation resolved for the first time asks the customer for a rating: the widget shows buttons when it sees
     * the status; on Telegram and Instagram an automated message asks for a number.
     */
    private void askForRating(Conversation conversation, Cause cause) {
        if (!csat.enabled() || conversation.ratingRequestedAt != null) {
            return;
        }
        conversation.ratingRequestedAt = Instant.now();
        if (!"web".equals(conversation.channel)) {
            addMessage(conversation.id, new NewMessage(SenderType.WORKFLOW, csat.question(), null, Map.of("csat_request", true),
                    "csat:" + conversation.id, cause));
        }
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
            if (ConversationStatus.RESOLVED.equals(status)) {
                conversation.resolvedAt = conversation.updatedAt;
            }
            emit(EventType.CONVERSATION_UPDATED, conversation, cause, data -> data.put("previous_status", previous));
            if (ConversationStatus.RESOLVED.equals(status)) {
                askForRating(conversation, cause);
            }
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
                .orElseThrow(() -> DomainException.notFound("conversation", conversationId));
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
        emitMessageUpdated(conversation, message);
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
        emitMessageUpdated(conversation, message);
        return Optional.of(message);
    }

    /**
     * One of our messages to Telegram or Instagram that the platform never took, sent again (an agent's retry, after the
     * platform was down longer than the delivery's attempts lasted): pending once more with its attempts counted anew,
     * from the part the platform had not taken. 409 for a message that is not {@code failed}.
     */
    @Transactional
    public Message retryDelivery(UUID conversationId, UUID messageId) {
        Conversation conversation = lock(conversationId);
        Message message = message(conversationId, messageId);
        if (!Message.DELIVERY_FAILED.equals(message.deliveryStatus)) {
            throw DomainException.conflict("delivery_status", "message " + messageId
                    + (message.deliveryStatus == null ? " is not delivered to a platform" : " is " + message.deliveryStatus)
                    + ": only a failed delivery can be retried");
        }
        message.deliveryStatus = Message.DELIVERY_PENDING;
        message.deliveryAttempts = 0;
        message.deliveryError = null;
        message.nextAttemptAt = null;
        deliveryQueued.fire(new DeliveryQueued());
        emitMessageUpdated(conversation, message);
        return message;
    }

    /**
     * A delivery's outcome (sent, or failed and why), in the delivery's transaction: a {@code message_updated} event with
     * the message alone. The delivery holds the message's lock while the platform answers, and does not take the
     * conversation's (every writer takes that one first), so it has no conversation as it is now to send.
     */
    public void deliveryRecorded(Message message) {
        ObjectNode data = Json.object();
        data.set("message", Json.MAPPER.valueToTree(Views.MessageView.of(message)));
        data.put("content", message.content);
        outbox.add(Envelope.of(EventType.MESSAGE_UPDATED, SOURCE, message.conversationId.toString(), Cause.NONE, data));
    }

    private void emitMessageUpdated(Conversation conversation, Message message) {
        ObjectNode messageData = Json.MAPPER.valueToTree(Views.MessageView.of(message));
        emit(EventType.MESSAGE_UPDATED, conversation, Cause.NONE, data -> {
            data.set("message", messageData);
            data.put("content", message.content);
        });
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
