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
            # TYPE jvm_gc_memory_allocated_bytes counter
            jvm_gc_memory_allocated_bytes_total 1.0E9
            jvm_memory_used_bytes{area="heap",id="Eden Space"} 3.0E7
            jvm_memory_used_bytes{area="heap",id="Survivor Space"} 5000000.0
            jvm_memory_used_bytes{area="heap",id="Tenured Gen"} 1.2E8
            jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 9.0E7
            """;
    private static final String AFTER = """
            jvm_gc_pause_seconds_count{action="end of major GC",cause="Metadata GC Threshold",gc="MarkSweepCompact"} 3.0
            jvm_gc_pause_seconds_sum{action="end of major GC",cause="Metadata GC Threshold",gc="MarkSweepCompact"} 0.9
            jvm_gc_pause_seconds_count{action="end of major GC",cause="CodeCache GC Threshold",gc="MarkSweepCompact"} 1.0
            jvm_gc_pause_seconds_sum{action="end of major GC",cause="CodeCache GC Threshold",gc="MarkSweepCompact"} 0.241
            jvm_gc_pause_seconds_count{action="end of minor GC",cause="Allocation Failure",gc="Copy"} 14.0
            jvm_gc_pause_seconds_sum{action="end of minor GC",cause="Allocation Failure",gc="Copy"} 0.3
            jvm_gc_pause_seconds_max{action="end of minor GC",cause="Allocation Failure",gc="Copy"} 0.04
            jvm_gc_memory_allocated_bytes_total 1.4E9
            jvm_memory_used_bytes{area="heap",id="Eden Space"} 1.0E7
            jvm_memory_used_bytes{area="heap",id="Survivor Space"} 6000000.0
            jvm_memory_used_bytes{area="heap",id="Tenured Gen"} 1.3E8
            jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 9.1E7
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
    void theAllocationIsTheCounterAtTheLastCollectionAndTheEdenFilledSince() {
        var pauses = GcMeter.since(Map.of("chat-service", GcMeter.of(BEFORE)), Map.of("chat-service", GcMeter.of(AFTER))).get("chat-service");
        // 400 MB counted at the collections between the scrapes, less the 30 MB in the eden at the first (counted by
        // them), plus the 10 MB in the eden at the second; the survivor and old spaces hold what was allocated before
        assertEquals(1.4e9 + 1.0e7 - (1.0e9 + 3.0e7), pauses.allocatedBytes(), 1e-3);
    }

    @Test
    void g1sEdenCountsToo() {
        String g1 = """
                jvm_gc_memory_allocated_bytes_total 2.0E8
                jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 4.0E7
                jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 9.0E7
                """;
        assertEquals(2.4e8, GcMeter.allocated(g1), 1e-3);
    }

    @Test
    void aServiceThatDidNotAnswerBothScrapesIsLeftOut() {
        var pauses = GcMeter.since(Map.of("chat-service", GcMeter.of(BEFORE)), Map.of("chat-service", GcMeter.of(AFTER),
                "chat-service-2", GcMeter.of(AFTER)));
        assertEquals(java.util.Set.of("chat-service"), pauses.keySet());
    }
}
