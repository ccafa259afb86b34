package io.switchboard.notifier.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import io.switchboard.contracts.Json;

/**
 * A frame to a client: {@code {"type": "message.created", "id": <event id>, "conversation_id": ..., "data": {...}}}.
 * A client keeps the last {@code id} it saw and reconnects with {@code ?last_event_id=} to get what it missed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Frame(String type, String id, String conversationId, JsonNode data) {
    static final String READY = Json.write(new Frame("ready", null, null, null));
    static final String TYPING = "typing";
    static final String PONG = Json.write(new Frame("pong", null, null, null));
    /** The missed frames are no longer held here: reload the conversation (or inbox) over the REST API. */
    static final String RESYNC = Json.write(new Frame("resync", null, null, null));
}
