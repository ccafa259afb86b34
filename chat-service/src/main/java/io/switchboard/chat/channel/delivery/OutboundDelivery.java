package io.switchboard.chat.channel.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.enterprise.inject.Instance;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.switchboard.chat.ChatConfig;
import io.switchboard.common.text.TextParts;
import io.switchboard.common.work.CoalescingWorker;
import io.switchboard.chat.domain.Conversation;
import io.switchboard.chat.domain.Conversations;
import io.switchboard.chat.domain.DeliveryQueued;
import io.switchboard.chat.domain.Message;

/**
 * Delivers our side's messages (agent, AI, workflow) in Telegram and Instagram conversations to the platform.
 * The queue is the messages table: a message waits as {@code pending} until sent ({@code sent}) or given up
 * ({@code failed}, with the reason). Each send runs in a transaction that holds the message's row lock, and the
 * status is committed with it, so a restart finds every unsent message still pending and never a sent one.
 * Messages of one conversation go out in order: only the oldest pending one of a conversation is eligible, even
 * while it waits for a retry or is being sent. Up to {@code switchboard.delivery.concurrency} sends are in flight at
 * once, each for another conversation, so a slow platform or conversation does not hold up the others; they and
 * other replicas share the work through {@code FOR UPDATE SKIP LOCKED}.
 * The window left is a crash after the platform accepted a message and before the commit: that message is sent
 * again (at least once; neither platform takes an idempotency key).
 */
@ApplicationScoped
public class OutboundDelivery {

    private static final Logger LOG = Logger.getLogger(OutboundDelivery.class);
    /** Metadata of a delivered message: the platform's id for it, and for one sent in parts, each part's. */
    public static final String EXTERNAL_MESSAGE_ID = "external_message_id";
    public static final String EXTERNAL_MESSAGE_IDS = "external_message_ids";
    /** Metadata of a message sent in parts: how many the platform has taken. */
    static final String DELIVERED_PARTS = "delivered_parts";
    /** In the order of the pending messages' own index (messages_due_delivery_idx), so it reads only them. */
    static final String NEXT_DUE = """
            select m.id from messages m
             where m.delivery_status = 'pending' and (m.next_attempt_at is null or m.next_attempt_at <= now())
               and not exists (select 1 from messages e
                                where e.conversation_id = m.conversation_id and e.delivery_status = 'pending'
                                  and (e.created_at < m.created_at or (e.created_at = m.created_at and e.id < m.id)))
             order by m.created_at
             limit 1
             for update of m skip locked""";

    private final EntityManager em;
    private final ChatConfig.Delivery config;
    private final Map<String, PlatformSender> senders;
    private final CoalescingWorker worker;

    private final MeterRegistry metrics;
    private final Conversations conversations;

    OutboundDelivery(EntityManager em, ChatConfig config, Instance<PlatformSender> senders, MeterRegistry metrics, Conversations conversations) {
        this.em = em;
        this.conversations = conversations;
        this.metrics = metrics;
        this.config = config.delivery();
        this.senders = senders.stream().collect(Collectors.toMap(PlatformSender::channel, Function.identity()));
        if (this.config.concurrency() < 1) {
            throw new IllegalArgumentException("switchboard.delivery.concurrency (SWITCHBOARD_DELIVERY_CONCURRENCY) must be at least 1, got "
                    + this.config.concurrency());
        }
        this.worker = new CoalescingWorker("outbound-delivery", this.config.concurrency(), this::deliverNext);
    }

    void onStart(@Observes StartupEvent start) {
        wake();
    }

    void afterCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) DeliveryQueued queued) {
        wake();
    }

    /** Due retries, and messages another replica left when it stopped. */
    @Scheduled(every = "${switchboard.delivery.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void poll() {
        wake();
    }

    public void wake() {
        worker.wake();
    }

    /** Sends the next due message, if any; true when there was one. */
    public boolean deliverNext() {
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<UUID> due = em.createNativeQuery(NEXT_DUE, UUID.class).getResultList();
            if (due.isEmpty()) {
                return false;
            }
            // this send may take the platform's whole timeout: another loop looks for the next due message meanwhile
            wake();
            Message message = Message.findById(due.get(0));
            Conversation conversation = Conversation.findById(message.conversationId);
            PlatformSender sender = senders.get(conversation.channel);
            SendResult result = sender == null
                    ? new SendResult.Rejected("no delivery for channel " + conversation.channel)
                    : sendParts(sender, conversation.contact.externalId, message);
            record(message, result);
            if (!message.deliveryStatus.equals(Message.DELIVERY_PENDING)) {
                conversations.deliveryRecorded(message); // the inbox shows sent or failed as it happens
            }
            metrics.counter("switchboard.deliveries", "channel", conversation.channel, "outcome", message.deliveryStatus.equals(Message.DELIVERY_PENDING)
                    ? "retry" : message.deliveryStatus).increment();
            return true;
        });
    }

    /**
     * Sends the message's parts the platform has not taken yet ({@link PlatformSender#maxTextLength()}: one part
     * unless the text is longer), in order, until one is not sent; what it took is kept in the message's metadata
     * with the outcome, so a retry goes on from the part that failed instead of sending the first ones again.
     */
    private static SendResult sendParts(PlatformSender sender, String recipientId, Message message) {
        List<String> parts = TextParts.of(message.content, sender.maxTextLength(), sender.maxTextBytes());
        int taken = message.metadata.get(DELIVERED_PARTS) instanceof Number n ? n.intValue() : 0;
        SendResult result = new SendResult.Sent(null);
        for (int part = taken; part < parts.size() && result instanceof SendResult.Sent; part++) {
            result = sender.send(recipientId, parts.get(part));
            if (result instanceof SendResult.Sent sent) {
                tookPart(message, part + 1, parts.size(), sent.externalId());
            }
        }
        return result;
    }

    /**
     * The platform's id of our message: of its first part, which a reaction or a read receipt names; a message in
     * parts also lists every part's id and how many were taken.
     */
    private static void tookPart(Message message, int taken, int parts, String externalId) {
        message.metadata = new HashMap<>(message.metadata);
        if (externalId != null) {
            message.metadata.putIfAbsent(EXTERNAL_MESSAGE_ID, externalId);
        }
        if (parts > 1) {
            message.metadata.put(DELIVERED_PARTS, taken);
            List<Object> ids = message.metadata.get(EXTERNAL_MESSAGE_IDS) instanceof List<?> known ? new ArrayList<>(known) : new ArrayList<>();
            ids.add(externalId);
            message.metadata.put(EXTERNAL_MESSAGE_IDS, ids);
        }
    }

    private void record(Message message, SendResult result) {
        message.deliveryAttempts++;
        switch (result) {
            case SendResult.Sent sent -> {
                message.deliveryStatus = Message.DELIVERY_SENT;
                message.deliveryError = null;
                message.nextAttemptAt = null;
            }
            case SendResult.Rejected rejected -> fail(message, rejected.reason());
            case SendResult.Retry retry -> {
                if (message.deliveryAttempts >= config.maxAttempts()) {
                    fail(message, retry.reason() + " (gave up after " + message.deliveryAttempts + " attempts)");
                } else {
                    Duration wait = backoff(message.deliveryAttempts);
                    if (retry.after() != null && retry.after().compareTo(wait) > 0) {
                        wait = retry.after();
                    }
                    message.deliveryError = retry.reason();
                    message.nextAttemptAt = Instant.now().plus(wait);
                    LOG.infof("message %s: %s; retry %d in %s", message.id, retry.reason(), message.deliveryAttempts + 1, wait);
                }
            }
        }
    }

    private static void fail(Message message, String reason) {
        message.deliveryStatus = Message.DELIVERY_FAILED;
        message.deliveryError = reason;
        message.nextAttemptAt = null;
        LOG.warnf("message %s not delivered: %s", message.id, reason);
    }

    /** initial, 2 x initial, 4 x initial ... capped. */
    Duration backoff(int failedAttempts) {
        Duration wait = config.initialBackoff().multipliedBy(1L << Math.min(failedAttempts - 1, 20));
        return wait.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : wait;
    }

    /** On shutdown, before the database goes: the step in progress finishes, no new one starts. */
    void stop(@Observes ShutdownEvent shutdown) {
        worker.stop();
    }
}
