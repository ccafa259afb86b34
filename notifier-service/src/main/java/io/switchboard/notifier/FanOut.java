package io.switchboard.notifier;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.quarkus.websockets.next.OpenConnections;
import io.quarkus.websockets.next.WebSocketConnection;
import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.EventTypes;
import io.switchboard.contracts.Json;

/**
 * Pushes chat events to the sockets this replica holds: a conversation's socket gets that conversation's frames, every
 * inbox socket gets all. Events arrive in order per conversation (one partition), and are sent in that order.
 */
@ApplicationScoped
public class FanOut {
    public static final String CHANNEL = "chat-events-in";
    private static final Logger LOG = Logger.getLogger(FanOut.class);
    /** Which events clients see, under which frame type; message_received repeats message_created and is left out. */
    private static final Map<String, String> FRAME_TYPES = Map.of(
            EventTypes.MESSAGE_CREATED, "message.created",
            EventTypes.CONVERSATION_CREATED, "conversation.created",
            EventTypes.CONVERSATION_UPDATED, "conversation.updated");

    private final OpenConnections connections;

    FanOut(OpenConnections connections) {
        this.connections = connections;
    }

    @Incoming(CHANNEL)
    public void push(String payload) {
        Envelope event = Json.readEnvelope(payload);
        String type = FRAME_TYPES.get(event.type());
        if (type == null) {
            return;
        }
        String frame = Json.write(new Frame(type, event.id(), event.subject(), event.data()));
        for (WebSocketConnection connection : connections) {
            boolean wanted = Sockets.Inbox.ID.equals(connection.endpointId())
                    || (Sockets.Conversation.ID.equals(connection.endpointId()) && event.subject().equals(connection.pathParam("id")));
            if (wanted && connection.isOpen()) {
                // never wait on one client: a slow or dead one must not hold up the others
                connection.sendText(frame).subscribe().with(ok -> {
                }, failure -> LOG.debugf("dropping frame to %s: %s", connection.id(), failure.getMessage()));
            }
        }
    }
}
