package io.switchboard.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class EnvelopeTest {

    @Test
    void envelopesRoundTripAndPoisonIsRefused() {
        var data = Json.object().put("content", "hola");
        var envelope = Envelope.of("message_received", "chat-service", "c-1", Cause.NONE, data);
        var read = Json.readEnvelope(Json.write(envelope));
        assertEquals(envelope.id(), read.id());
        assertEquals("hola", read.text("content"));
        assertEquals(1, read.causeForFollowUp("w", "e").depth());
        assertThrows(IllegalArgumentException.class, () -> Json.readEnvelope("{not json"));
        assertThrows(IllegalArgumentException.class, () -> Json.readEnvelope("{\"type\":\"x\"}"));
    }
}
