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
 * The two endpoints; what they receive is pushed through {@link Clients}. Access is checked by {@link SocketAccess}
 * before the upgrade. Clients may send any small text frame (a ping) and get {@code pong}; the server also pings.
 */
public final class Sockets {
    private Sockets() {
    }

    /** One customer's conversation: its messages and changes only. */
    @WebSocket(path = "/ws/conversations/{id}", endpointId = Conversation.ID)
    public static class Conversation {
        public static final String ID = "conversation";
        private final Clients clients;
        private final TypingPublisher typing;

        Conversation(Clients clients, TypingPublisher typing) {
            this.clients = clients;
            this.typing = typing;
        }

        @OnOpen
        public void open(WebSocketConnection connection) {
            attach(clients, connection, connection.pathParam("id"));
        }

        @OnTextMessage
        public Uni<Void> text(String text, WebSocketConnection connection) {
            received(clients, typing, text, connection);
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
    }

    /** The agents' inbox: every conversation. The callbacks are the same; the annotations must sit on each class. */
    @WebSocket(path = "/ws/inbox", endpointId = Inbox.ID)
    public static class Inbox {
        public static final String ID = "inbox";
        private final Clients clients;
        private final TypingPublisher typing;

        Inbox(Clients clients, TypingPublisher typing) {
            this.clients = clients;
            this.typing = typing;
        }

        @OnOpen
        public void open(WebSocketConnection connection) {
            attach(clients, connection, null);
        }

        @OnTextMessage
        public Uni<Void> text(String text, WebSocketConnection connection) {
            received(clients, typing, text, connection);
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
    }

    /** Hands an upgraded socket to {@link Clients} with what {@link SocketAccess} learnt at the handshake. */
    private static void attach(Clients clients, WebSocketConnection connection, String conversationId) {
        clients.attach(connection, conversationId, SocketAccess.limitKey(connection), SocketAccess.name(connection),
                SocketAccess.limit(connection), SocketAccess.lastEventId(connection.handshakeRequest().query()));
    }

    /**
     * A frame from a client: {@code {"type": "typing"}} (an inbox adds {@code "conversation_id"}) is a typing signal
     * for every replica; anything else is a ping and gets {@code pong}.
     */
    private static void received(Clients clients, TypingPublisher typing, String text, WebSocketConnection connection) {
        Optional<ClientFrame> frame = ClientFrame.parse(text);
        if (frame.isPresent() && ClientFrame.TYPING.equals(frame.get().type())) {
            clients.typingFrom(connection, frame.get().conversationId()).ifPresent(typing::publish);
        } else {
            clients.ping(connection);
        }
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
