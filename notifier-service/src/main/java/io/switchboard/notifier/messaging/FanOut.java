package io.switchboard.notifier.messaging;

import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.CustomerView;
import io.switchboard.contracts.EventType;
import io.switchboard.contracts.Json;
import io.switchboard.notifier.domain.Clients;
import io.switchboard.notifier.domain.Frame;

/**
 * Turns chat events and ai-service's state changes (both keyed by conversation) into frames for the sockets this
 * replica holds. Events arrive in order per conversation and topic (one partition) and are handed to {@link Clients}
 * in that order; nothing here waits on a client. A poll's records are handled together, in one call on a worker
 * thread (Quarkus runs a method that is not reactive there): one record a call, each record's hand-overs between the
 * Kafka client's thread, the event loop and a worker capped this replica at 250 to 340 events a second with its
 * CPU nearly idle (see docs/performance.md, "The notifier a poll at a time").
 */
@ApplicationScoped
public class FanOut {
    public static final String CHANNEL = "chat-events-in";
    /** Which events clients see, under which frame type: a stored message is {@code message.created}, whoever wrote it. */
    private static final Map<String, String> FRAME_TYPES = Map.of(
            EventType.MESSAGE_RECEIVED.wire(), "message.created",
            EventType.MESSAGE_CREATED.wire(), "message.created",
            EventType.MESSAGE_UPDATED.wire(), "message.updated",
            EventType.NOTE_CREATED.wire(), "note.created",
            EventType.CONVERSATION_CREATED.wire(), "conversation.created",
            EventType.CONVERSATION_UPDATED.wire(), "conversation.updated",
            EventType.CONVERSATION_READ.wire(), "conversation.read",
            EventType.AI_UPDATED.wire(), "ai.updated");
    /** Events for agents only: a customer's socket never gets them, not even as a bare frame. */
    private static final Set<String> AGENTS_ONLY = Set.of(EventType.NOTE_CREATED.wire());

    private final Clients clients;

    FanOut(Clients clients) {
        this.clients = clients;
    }

    @Incoming(CHANNEL)
    public void push(List<String> payloads) {
        PolledEnvelopes.each(CHANNEL, payloads, this::push);
    }

    private void push(Envelope event) {
        String type = FRAME_TYPES.get(event.type());
        if (type == null) {
            return;
        }
        // agents get the event as it is; a customer's socket gets only what the customer may see, and nothing private
        boolean agentsOnly = AGENTS_ONLY.contains(event.type()) || event.data().path("message").path("private").asBoolean(false);
        clients.publish(event.id(), event.subject(), Json.write(new Frame(type, event.id(), event.subject(), event.data())),
                agentsOnly ? null : Json.write(new Frame(type, event.id(), event.subject(), CustomerView.eventData(event.data()))));
    }
}
