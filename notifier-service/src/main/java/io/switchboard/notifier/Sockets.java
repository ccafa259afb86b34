package io.switchboard.notifier;

import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;


/** The two endpoints; what they receive is pushed by {@link FanOut}. Access is checked by {@link SocketAccess}. */
public final class Sockets {
    private Sockets() {
    }

    /** One customer's conversation: its messages and changes only. */
    @WebSocket(path = "/ws/conversations/{id}", endpointId = Conversation.ID)
    public static class Conversation {
        public static final String ID = "conversation";

        @OnOpen
        public String open() {
            return Frame.READY;
        }

        @OnTextMessage
        public String ping(String text) {
            return Frame.PONG;
        }
    }

    /** The agents' inbox: every conversation. */
    @WebSocket(path = "/ws/inbox", endpointId = Inbox.ID)
    public static class Inbox {
        public static final String ID = "inbox";

        @OnOpen
        public String open() {
            return Frame.READY;
        }

        @OnTextMessage
        public String ping(String text) {
            return Frame.PONG;
        }
    }
}
