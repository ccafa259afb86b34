package io.switchboard.contracts;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON value of every Kafka record, events and commands alike, with CloudEvents attribute names:
 * {@code id} is unique per event (consumers dedupe on it), {@code subject} is the conversation id (also the
 * record key), {@code data} the payload.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Envelope(
        @JsonProperty("specversion") String specVersion,
        @JsonProperty("id") String id,
        @JsonProperty("type") String type,
        @JsonProperty("source") String source,
        @JsonProperty("subject") String subject,
        @JsonProperty("time") Instant time,
        @JsonProperty("cause") Cause cause,
        @JsonProperty("data") ObjectNode data) {

    public static final String SPEC_VERSION = "1.0";

    public static Envelope of(String id, String type, String source, String conversationId, Cause cause, ObjectNode data) {
        return new Envelope(SPEC_VERSION, id, type, source, conversationId, Instant.now(),
                cause == null ? Cause.NONE : cause, data);
    }

    public static Envelope of(String id, WireName type, String source, String conversationId, Cause cause, ObjectNode data) {
        return of(id, type.wire(), source, conversationId, cause, data);
    }

    public static Envelope of(WireName type, String source, String conversationId, Cause cause, ObjectNode data) {
        return of(UUID.randomUUID().toString(), type.wire(), source, conversationId, cause, data);
    }

    public static Envelope of(String type, String source, String conversationId, Cause cause, ObjectNode data) {
        return of(UUID.randomUUID().toString(), type, source, conversationId, cause, data);
    }

    /** The cause that a record acting on this one carries: this event, one hop deeper. */
    public Cause causeForFollowUp(String workflowId, String executionId) {
        int depth = cause == null ? 0 : cause.depth();
        return new Cause(id, workflowId, executionId, depth + 1);
    }

    /** Whether this record is of that event or command type. */
    public boolean is(WireName type) {
        return type.wire().equals(this.type);
    }

    /** Whether this event announces a stored message, whoever wrote it: {@code message_received} or {@code message_created}. */
    public boolean announcesMessage() {
        return is(EventType.MESSAGE_RECEIVED) || is(EventType.MESSAGE_CREATED);
    }

    public int depth() {
        return cause == null ? 0 : cause.depth();
    }

    public String text(String field) {
        var node = data == null ? null : data.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }
}
