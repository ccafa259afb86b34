package io.switchboard.contracts;

import java.io.UncheckedIOException;
import java.util.UUID;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The one JSON mapper for Kafka payloads (snake_case, like the REST API), so every service writes and reads envelopes alike. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Json() {
    }

    /**
     * JSON for a model's prompt: {@code <} and {@code >} escaped ({@code \u003c}, still the same JSON), so that text a
     * customer wrote, such as {@code </context>}, can neither close a data block nor pass for markup.
     */
    public static String writeAsData(Object value) {
        return write(value).replace("<", "\\u003c").replace(">", "\\u003e");
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads an envelope; a record that is not one (poison) throws {@link IllegalArgumentException}, which the
     * consumers' dead-letter strategy sends to the topic's dead-letter topic.
     */
    public static Envelope readEnvelope(String json) {
        try {
            Envelope envelope = MAPPER.readValue(json, Envelope.class);
            if (envelope.id() == null || envelope.type() == null || envelope.subject() == null) {
                throw new IllegalArgumentException("not an envelope: id, type and subject are required");
            }
            return envelope;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not an envelope: " + e.getOriginalMessage(), e);
        }
    }

    /** Reads JSON that this system wrote (stored documents and logs): unreadable JSON is a bug, not bad input. */
    public static com.fasterxml.jackson.databind.JsonNode read(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is unreadable: " + e.getOriginalMessage(), e);
        }
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** A stable id made of parts, for records that a redelivery must produce again identically. */
    public static String derivedId(String... parts) {
        return UUID.nameUUIDFromBytes(String.join("|", parts).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
