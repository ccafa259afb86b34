package io.switchboard.notifier;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/** A frame to a client: {@code {"type": "message.created", "id": <event id>, "conversation_id": ..., "data": {...}}}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Frame(String type, String id, String conversationId, JsonNode data) {
    static final String READY = io.switchboard.contracts.Json.write(new Frame("ready", null, null, null));
    static final String PONG = io.switchboard.contracts.Json.write(new Frame("pong", null, null, null));
}
