package io.switchboard.system;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The benchmark's AOT caches: a recording run must outlast Kafka's idle-connection timeout; a cached run need not. */
class AotCacheTest {
    private static final Path DIR = Path.of("/tmp/aot");

    @Test
    void aRecordingShorterThanTenMinutesIsRefusedNamingWhatToChange() {
        var refused = assertThrows(IllegalArgumentException.class,
                () -> new AotCache(DIR, true).checkRecordingLength(Duration.ofSeconds(420)));
        assertTrue(refused.getMessage().contains("planned to take 420 s") && refused.getMessage().contains("--warmup 180 s more"),
                refused.getMessage());
        assertDoesNotThrow(() -> new AotCache(DIR, true).checkRecordingLength(Duration.ofMinutes(10)));
    }

    @Test
    void aRunFromTheCachesMayBeShort() {
        assertDoesNotThrow(() -> new AotCache(DIR, false).checkRecordingLength(Duration.ofSeconds(30)));
    }
}
