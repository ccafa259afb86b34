package io.switchboard.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The benchmark's pause table from two scrapes of a service's metrics, as Micrometer writes them for the serial collector. */
class GcMeterTest {
    private static final String BEFORE = """
            # HELP jvm_gc_pause_seconds Time spent in GC pause
            # TYPE jvm_gc_pause_seconds summary
            jvm_gc_pause_seconds_count{action="end of major GC",cause="Metadata GC Threshold",gc="MarkSweepCompact"} 3.0
            jvm_gc_pause_seconds_sum{action="end of major GC",cause="Metadata GC Threshold",gc="MarkSweepCompact"} 0.9
            jvm_gc_pause_seconds_count{action="end of minor GC",cause="Allocation Failure",gc="Copy"} 10.0
            jvm_gc_pause_seconds_sum{action="end of minor GC",cause="Allocation Failure",gc="Copy"} 0.2
            jvm_gc_pause_seconds_max{action="end of minor GC",cause="Allocation Failure",gc="Copy"} 0.025
            """;
    private static final String AFTER = """
            jvm_gc_pause_seconds_count{action="end of major GC",cause="Metadata GC Threshold",gc="MarkSweepCompact"} 3.0
            jvm_gc_pause_seconds_sum{action="end of major GC",cause="Metadata GC Threshold",gc="MarkSweepCompact"} 0.9
            jvm_gc_pause_seconds_count{action="end of major GC",cause="CodeCache GC Threshold",gc="MarkSweepCompact"} 1.0
            jvm_gc_pause_seconds_sum{action="end of major GC",cause="CodeCache GC Threshold",gc="MarkSweepCompact"} 0.241
            jvm_gc_pause_seconds_count{action="end of minor GC",cause="Allocation Failure",gc="Copy"} 14.0
            jvm_gc_pause_seconds_sum{action="end of minor GC",cause="Allocation Failure",gc="Copy"} 0.3
            jvm_gc_pause_seconds_max{action="end of minor GC",cause="Allocation Failure",gc="Copy"} 0.04
            """;

    @Test
    void aStepCountsThePausesSinceItsStartAndNamesWhatStartedTheFullOnes() {
        var pauses = GcMeter.since(Map.of("chat-service", GcMeter.of(BEFORE)), Map.of("chat-service", GcMeter.of(AFTER))).get("chat-service");
        assertEquals(5, pauses.count(), 1e-9);
        assertEquals(341, pauses.ms(), 1e-6);
        assertEquals(1, pauses.fullCount(), 1e-9);
        assertEquals(241, pauses.fullMs(), 1e-6);
        // the metadata collections came before the step: only the code cache's is the step's
        assertEquals(Map.of("CodeCache GC Threshold", 1.0), pauses.fullCauses());
    }

    @Test
    void aServiceThatDidNotAnswerBothScrapesIsLeftOut() {
        var pauses = GcMeter.since(Map.of("chat-service", GcMeter.of(BEFORE)), Map.of("chat-service", GcMeter.of(AFTER),
                "chat-service-2", GcMeter.of(AFTER)));
        assertEquals(java.util.Set.of("chat-service"), pauses.keySet());
    }
}
