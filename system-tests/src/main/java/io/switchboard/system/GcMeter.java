package io.switchboard.system;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Each service's garbage-collection pauses, from Micrometer's {@code jvm_gc_pause_seconds}: a pause stops every thread
 * of its service, so a message that meets one waits it out at that stage. Full collections are the long ones; what
 * started them (their cause: the heap, the metadata or the code cache filling) says which setting would avoid them.
 * Beside them, the bytes each service allocated: unlike CPU time it does not move with the machine's speed, so two runs
 * of different hours compare on it, and the young collections follow it.
 */
final class GcMeter {
    private static final String PAUSES = "jvm_gc_pause_seconds";
    private static final String FULL = "end of major GC";
    /** Counted by Micrometer at each young collection: what the young generation grew by since the one before. */
    private static final String ALLOCATED = "jvm_gc_memory_allocated_bytes_total";
    /** The pool new objects go to ("Eden Space" with the serial collector, "G1 Eden Space" with G1), emptied by each collection. */
    private static final String EDEN = "Eden Space";

    record Pauses(double count, double ms, double fullCount, double fullMs, Map<String, Double> fullCauses, double allocatedBytes) {
        Pauses minus(Pauses before) {
            Map<String, Double> causes = new TreeMap<>();
            fullCauses.forEach((cause, n) -> {
                double since = n - before.fullCauses.getOrDefault(cause, 0.0);
                if (since > 0) {
                    causes.put(cause, since);
                }
            });
            return new Pauses(count - before.count, ms - before.ms, fullCount - before.fullCount, fullMs - before.fullMs, causes,
                    allocatedBytes - before.allocatedBytes);
        }
    }

    private final SystemUnderTest system;

    GcMeter(SystemUnderTest system) {
        this.system = system;
    }

    /** Every running service's pauses so far; a replica that does not answer is left out. */
    Map<String, Pauses> sample() {
        Map<String, Pauses> pauses = new LinkedHashMap<>();
        for (var service : system.services().values()) {
            try {
                pauses.put(service.name(), of(Prometheus.scrape(service)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return pauses;
            } catch (IOException | IllegalStateException e) {
                // stopped on purpose (a rebalance step) or not up yet: no figures rather than no report
            }
        }
        return pauses;
    }

    static Pauses of(String metrics) {
        Map<String, Double> causes = new TreeMap<>();
        for (String cause : Prometheus.labelValues(metrics, PAUSES + "_count", "cause")) {
            double full = Prometheus.sum(metrics, PAUSES + "_count", Map.of("action", FULL, "cause", cause));
            if (full > 0) {
                causes.put(cause, full);
            }
        }
        return new Pauses(Prometheus.sum(metrics, PAUSES + "_count", Map.of()), Prometheus.sum(metrics, PAUSES + "_sum", Map.of()) * 1000,
                Prometheus.sum(metrics, PAUSES + "_count", Map.of("action", FULL)),
                Prometheus.sum(metrics, PAUSES + "_sum", Map.of("action", FULL)) * 1000, causes, allocated(metrics));
    }

    /**
     * Bytes allocated so far: the counter, which stands at the last young collection, and what the eden holds now
     * (allocated since; a collection leaves it empty). Without the eden the figure would move in steps of a whole
     * young generation, tens of MB, as large as a step's allocation at low rates.
     */
    static double allocated(String metrics) {
        double eden = Prometheus.labelValues(metrics, "jvm_memory_used_bytes", "id").stream().filter(id -> id.endsWith(EDEN))
                .mapToDouble(id -> Prometheus.sum(metrics, "jvm_memory_used_bytes", Map.of("area", "heap", "id", id))).sum();
        return Prometheus.sum(metrics, ALLOCATED, Map.of()) + eden;
    }

    /** What each service paused for between two samples (a service missing from either is left out). */
    static Map<String, Pauses> since(Map<String, Pauses> before, Map<String, Pauses> after) {
        Map<String, Pauses> since = new LinkedHashMap<>();
        after.forEach((name, now) -> {
            if (before.containsKey(name)) {
                since.put(name, now.minus(before.get(name)));
            }
        });
        return since;
    }
}
