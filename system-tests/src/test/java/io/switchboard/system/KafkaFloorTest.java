package io.switchboard.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.switchboard.kafka.LocalKafka;

/**
 * The floor counts the records after its warm-up, each once, and puts a CPU figure on each: the clients' threads
 * (which exist only while it runs) and the broker's process beyond its idle.
 */
class KafkaFloorTest {
    @TempDir
    Path kafkaData;

    @Test
    void theFloorMeasuresEachRecordAfterTheWarmUpAndWhatItCost() throws Exception {
        try (LocalKafka kafka = LocalKafka.startBrief(kafkaData, 0, 4)) {
            KafkaFloor.Result floor = KafkaFloor.measure(kafka.bootstrapServers(), kafka.pid(), 100, 3);
            System.out.println("Kafka floor at 100 records/s on a fresh broker: " + floor);

            assertEquals(300, floor.records(), "the records after the two seconds of warm-up, each once");
            assertEquals(300, floor.latency().count());
            assertTrue(floor.latency().p50() > 0 && floor.latency().p50() <= floor.latency().max(), floor.latency().toString());
            // a producer's send and a consumer's poll take CPU on this JVM's threads; tens of ms a record would mean
            // threads other than the floor's were counted
            assertTrue(floor.clientsCpuMsPerRecord() > 0 && floor.clientsCpuMsPerRecord() < 20, floor.toString());
            assertTrue(Double.isFinite(floor.brokerCpuMsPerRecord()), floor.toString());
            assertEquals(floor.clientsCpuMsPerRecord() + floor.brokerCpuMsPerRecord(), floor.cpuMsPerRecord(), 1e-9);
        }
    }
}
