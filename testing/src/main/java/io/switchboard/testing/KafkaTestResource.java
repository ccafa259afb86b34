package io.switchboard.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.switchboard.kafka.LocalKafka;

/**
 * A real Kafka broker (KRaft), started once per test JVM and shared by every test class in it; each test JVM (one
 * per module) has its own broker and data folder, so runs never see each other's records.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {
    private static LocalKafka broker;

    public static synchronized LocalKafka broker() {
        if (broker == null) {
            try {
                var dir = Files.createTempDirectory("switchboard-kafka-");
                broker = LocalKafka.startBrief(dir, 0, 4);
                var started = broker;
                Runtime.getRuntime().addShutdownHook(new Thread(started::close));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return broker;
    }

    public static String bootstrapServers() {
        return broker().bootstrapServers();
    }

    @Override
    public Map<String, String> start() {
        return Map.of("kafka.bootstrap.servers", bootstrapServers());
    }

    @Override
    public void stop() {
        // kept for the other test classes of this JVM; the shutdown hook stops it
    }
}
