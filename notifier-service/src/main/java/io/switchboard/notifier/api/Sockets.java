package io.switchboard.notifier.api;

import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnPongMessage;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.buffer.Buffer;
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

        Conversation(Clients clients) {
            this.clients = clients;
        }

        @OnOpen
        public void open(WebSocketConnection connection) {
            attach(clients, connection, connection.pathParam("id"));
        }

        @OnTextMessage
        public String ping(String text, WebSocketConnection connection) {
            return clients.ping(connection);
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

        Inbox(Clients clients) {
            this.clients = clients;
        }

        @OnOpen
        public void open(WebSocketConnection connection) {
            attach(clients, connection, null);
        }

        @OnTextMessage
        public String ping(String text, WebSocketConnection connection) {
            return clients.ping(connection);
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
        clients.attach(connection, conversationId, SocketAccess.limitKey(connection), SocketAccess.limit(connection),
                SocketAccess.lastEventId(connection.handshakeRequest().query()));
    }
}
