package io.switchboard.notifier.domain;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Vertx;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.EventType;
import io.switchboard.contracts.Json;
import io.switchboard.contracts.SenderType;
import io.switchboard.notifier.NotifierConfig;

/**
 * The sockets this replica holds, and the recent frames for those that come back. Publishing a frame and attaching a
 * client (with the frames it missed) happen under one lock, so a reconnecting client sees every frame exactly once,
 * in order: either from the replay or live, never both, never neither.
 */
@ApplicationScoped
public class Clients {
    private static final Logger LOG = Logger.getLogger(Clients.class);
    static final String SOURCE = "notifier-service";
    private final Map<String, Client> byConnection = new ConcurrentHashMap<>();
    /** Who follows what: a frame goes to its conversation's sockets and the inboxes, without looking at the others. */
    private final Map<String, Set<Client>> byConversation = new ConcurrentHashMap<>();
    private final Set<Client> inboxes = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> perToken = new ConcurrentHashMap<>();
    private final ReplayBuffer replay;
    private final NotifierConfig.Ws config;
    private final Vertx vertx;
    private final Client.Bounds bounds;
    private final long sweepTimer;

    private final MeterRegistry metrics;

    Clients(NotifierConfig config, Vertx vertx, MeterRegistry metrics) {
        this.metrics = metrics;
        metrics.gaugeMapSize("switchboard.ws.connections", Tags.empty(), byConnection);
        metrics.gaugeCollectionSize("switchboard.ws.inbox.connections", Tags.empty(), inboxes);
        this.config = config.ws();
        this.replay = new ReplayBuffer(this.config.replayBufferSize(), this.config.replayBufferBytes().asLongValue());
        this.vertx = vertx;
        this.bounds = new Client.Bounds(this.config.queueLimit(), this.config.queueBytes().asLongValue(),
                this.config.stallTimeout().toNanos());
        long sweepMillis = Math.min(this.config.idleTimeout().toMillis(), this.config.stallTimeout().toMillis()) / 3;
        this.sweepTimer = vertx.setPeriodic(Math.max(100, sweepMillis), id -> sweep());
    }

    @PreDestroy
    void stop() {
        vertx.cancelTimer(sweepTimer);
    }

    /**
     * Sends a frame to every socket that follows its conversation, and keeps it for those reconnecting. An event
     * published twice (the relay is at-least-once) goes out once while the buffer still holds it. A null
     * {@code customerFrame} is an event for agents only (a private note): customers' sockets never get it.
     */
    public void publish(String eventId, String conversationId, String agentFrame, String customerFrame) {
        synchronized (replay) {
            if (!replay.add(new ReplayBuffer.Entry(eventId, conversationId, agentFrame, customerFrame))) {
                return; // a redelivery: every socket had it
            }
            Set<Client> followers = byConversation.get(conversationId);
            if (followers != null) {
                for (Client client : followers) {
                    String frame = client.customer ? customerFrame : agentFrame;
                    if (frame != null) {
                        client.offer(frame);
                    }
                }
            }
            inboxes.forEach(client -> client.offer(agentFrame));
        }
    }

    /**
     * Starts pushing to a new socket: first {@code ready}, then (for a client that names the last event it saw) what it
     * missed, or {@code resync} when that is no longer here or too much to replay, then every new frame.
     */
    public void attach(WebSocketConnection connection, String conversationId, String tokenKey, String name, int limit,
            String lastEventId) {
        Client client = new Client(connection, conversationId, tokenKey, name, bounds,
                reason -> metrics.counter("switchboard.ws.closed", "reason", reason).increment(), System::nanoTime);
        if (perToken.computeIfAbsent(tokenKey, k -> new AtomicInteger()).incrementAndGet() > limit) {
            // two handshakes raced past the check before the upgrade
            perToken.get(tokenKey).decrementAndGet();
            client.close(Client.TOO_MANY);
            return;
        }
        synchronized (replay) {
            client.offer(Frame.READY);
            if (lastEventId != null && !lastEventId.isBlank()) {
                List<String> missed = replay.after(lastEventId, conversationId, client.customer);
                // more than a socket may have unflushed would cut it off at once: reloading is cheaper for both
                if (missed == null || missed.size() > config.queueLimit() / 2) {
                    client.offer(Frame.RESYNC);
                } else {
                    missed.forEach(client::offer);
                }
            }
            byConnection.put(connection.id(), client);
            if (conversationId == null) {
                inboxes.add(client);
            } else {
                byConversation.computeIfAbsent(conversationId, k -> ConcurrentHashMap.newKeySet()).add(client);
            }
        }
    }

    public void detach(WebSocketConnection connection) {
        Client client = byConnection.remove(connection.id());
        if (client != null) {
            synchronized (replay) {
                if (client.conversationId == null) {
                    inboxes.remove(client);
                } else {
                    byConversation.computeIfPresent(client.conversationId, (k, set) -> set.remove(client) && set.isEmpty() ? null : set);
                }
            }
            perToken.computeIfPresent(client.tokenKey, (k, count) -> count.decrementAndGet() <= 0 ? null : count);
        }
    }

    /**
     * A failure on a socket. The only one a client can cause is a frame over the size limit (Vert.x reports it as an
     * IllegalStateException before any callback): that closes with 1009, the code RFC 6455 has for it.
     */
    public void failed(WebSocketConnection connection, Throwable failure) {
        if (connection.isClosed()) {
            // a reset or a dropped network ends the connection with a failure: the client is gone, its close detaches it
            LOG.debugf("socket %s failed as it closed: %s", connection.id(), failure.toString());
            return;
        }
        Client client = byConnection.get(connection.id());
        CloseReason reason = failure instanceof IllegalStateException && String.valueOf(failure.getMessage()).contains("max message size")
                ? Client.TOO_BIG
                : CloseReason.INTERNAL_SERVER_ERROR;
        if (client != null) {
            client.close(reason);
        } else {
            connection.close(reason).subscribe().with(ok -> {
            }, ignored -> {
            });
        }
    }

    /** A text frame from a client that is not a typing signal is a ping: it shows the client is alive and gets {@code pong}. */
    public void ping(WebSocketConnection connection) {
        Client client = byConnection.get(connection.id());
        if (client != null) {
            client.touch();
            client.offer(Frame.PONG);
        }
    }

    /**
     * A typing signal from a socket, as the event every replica then delivers ({@link #typing}): a customer types in
     * their conversation; an agent names the conversation ({@code conversationId}, from the inbox's frame). Empty when
     * dropped: too soon after the last one, or an agent's without a conversation.
     */
    public Optional<Envelope> typingFrom(WebSocketConnection connection, String conversationId) {
        Client client = byConnection.get(connection.id());
        if (client == null) {
            return Optional.empty();
        }
        client.touch();
        String conversation = client.customer ? client.conversationId
                : client.conversationId != null ? client.conversationId : validConversation(conversationId);
        if (conversation == null || !client.mayType(config.typingInterval().toNanos())) {
            return Optional.empty();
        }
        ObjectNode data = Json.object().put("sender_type", client.customer ? SenderType.CUSTOMER.wire() : SenderType.AGENT.wire());
        if (!client.customer && client.name != null) {
            data.put("sender_name", client.name);
        }
        return Optional.of(Envelope.of(EventType.TYPING, SOURCE, conversation, null, data));
    }

    /**
     * Someone types in a conversation (from any replica): a customer's typing goes to the agents (inboxes and agents
     * following that conversation), an agent's to the customer's sockets. Live only: not kept for replay.
     */
    public void typing(Envelope signal) {
        boolean fromCustomer = SenderType.CUSTOMER.wire().equals(signal.data().path("sender_type").asText());
        ObjectNode data = Json.object().put("sender_type", signal.data().path("sender_type").asText());
        if (!fromCustomer && signal.data().hasNonNull("sender_name")) {
            data.put("sender_name", signal.data().get("sender_name").asText());
        }
        String frame = Json.write(new Frame(Frame.TYPING, null, signal.subject(), data));
        Set<Client> followers = byConversation.get(signal.subject());
        if (followers != null) {
            followers.stream().filter(client -> client.customer != fromCustomer).forEach(client -> client.offer(frame));
        }
        if (fromCustomer) {
            inboxes.forEach(client -> client.offer(frame));
        }
    }

    private static String validConversation(String id) {
        try {
            return id == null ? null : UUID.fromString(id).toString();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Any frame from the client, pongs included, shows it is alive. */
    public void seen(WebSocketConnection connection) {
        Client client = byConnection.get(connection.id());
        if (client != null) {
            client.touch();
        }
    }

    public int openFor(String tokenKey) {
        AtomicInteger count = perToken.get(tokenKey);
        return count == null ? 0 : count.get();
    }

    /** Closes the sockets that went quiet, and those not reading while no new frame came to find it out. */
    private void sweep() {
        long idleLimit = config.idleTimeout().toNanos();
        for (Client client : byConnection.values()) {
            if (client.idleNanos() > idleLimit) {
                client.close(Client.IDLE);
            } else if (client.stalled()) {
                client.close(Client.TOO_SLOW);
            }
        }
    }
}
