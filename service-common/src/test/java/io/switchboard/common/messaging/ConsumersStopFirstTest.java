package io.switchboard.common.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.smallrye.reactive.messaging.kafka.KafkaConnector;

/**
 * The side-by-side stop reaches the connector's consumers through a private list of SmallRye's: an upgrade that
 * renames or retypes it must fail here, not make every stop slow again without a word.
 */
class ConsumersStopFirstTest {
    @Test
    void theConnectorsConsumersCanBeReached() {
        assertEquals(0, ConsumersStopFirst.sourcesOf(new KafkaConnector()).size());
    }
}
