package io.switchboard.notifier.api;

import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnPongMessage;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.buffer.Buffer;
import java.util.Optional;

import io.smallrye.mutiny.Uni;
import io.switchboard.contracts.Json;
import io.switchboard.notifier.messaging.TypingPublisher;
import io.switchboard.notifier.domain.Clients;

/**
 * The two endpoints share every callback; a subclass says only where it is and which conversation a socket follows.
 * What they receive is pushed through {@link Clients}. Access is checked by {@link SocketAccess} before the upgrade.
 * Clients may send any small text frame (a ping) and get {@code pong}; the server also pings. (WebSockets Next finds
 * callbacks on an endpoint's superclasses.)
 */
public abstract class Sockets {
    private final Clients clients;
    private final TypingPublisher typing;

    Sockets(Clients clients, TypingPublisher typing) {
        this.clients = clients;
        this.typing = typing;
    }

    /** The conversation a socket follows, or null for every conversation. */
    protected abstract String conversationId(WebSocketConnection connection);

    /** One customer's conversation: its messages and changes only. */
    @WebSocket(path = "/ws/conversations/{id}")
    public static class Conversation extends Sockets {
        Conversation(Clients clients, TypingPublisher typing) {
            super(clients, typing);
        }

        @Override
        protected String conversationId(WebSocketConnection connection) {
            return connection.pathParam("id");
        }
    }

    /** The agents' inbox: every conversation. */
    @WebSocket(path = "/ws/inbox")
    public static class Inbox extends Sockets {
        Inbox(Clients clients, TypingPublisher typing) {
            super(clients, typing);
        }

        @Override
        protected String conversationId(WebSocketConnection connection) {
            return null;
        }
    }

    /** Hands an upgraded socket to {@link Clients} with what {@link SocketAccess} learnt at the handshake. */
    @OnOpen
    public void open(WebSocketConnection connection) {
        clients.attach(connection, conversationId(connection), SocketAccess.limitKey(connection),
                SocketAccess.name(connection), SocketAccess.limit(connection),
                SocketAccess.lastEventId(connection.handshakeRequest().query()));
    }

    /**
     * A frame from a client: {@code {"type": "typing"}} (an inbox adds {@code "conversation_id"}) is a typing signal
     * for every replica; anything else is a ping and gets {@code pong}.
     */
    @OnTextMessage
    public Uni<Void> text(String text, WebSocketConnection connection) {
        Optional<ClientFrame> frame = ClientFrame.parse(text);
        if (frame.isPresent() && ClientFrame.TYPING.equals(frame.get().type())) {
            clients.typingFrom(connection, frame.get().conversationId()).ifPresent(typing::publish);
        } else {
            clients.ping(connection);
        }
        return Uni.createFrom().voidItem();
    }

    @OnPongMessage
    public void pong(Buffer data, WebSocketConnection connection) {
        clients.seen(connection);
    }

    @OnError
    public void error(Throwable failure, WebSocketConnection connection) {
        clients.failed(connection, failure);
    }

    @OnClose
    public void close(WebSocketConnection connection) {
        clients.detach(connection);
    }

    /** What a client may send besides pings. */
    record ClientFrame(String type, String conversationId) {
        static final String TYPING = "typing";

        static Optional<ClientFrame> parse(String text) {
            if (text == null || !text.startsWith("{")) {
                return Optional.empty();
            }
            try {
                var node = Json.MAPPER.readTree(text);
                return Optional.of(new ClientFrame(node.path("type").asText(null), node.path("conversation_id").asText(null)));
            } catch (java.io.IOException e) {
                return Optional.empty();
            }
        }
    }
}
