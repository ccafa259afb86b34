package io.switchboard.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The JDK's ahead-of-time cache for the services (JDK 25: JEP 483, 514 and 515). A recording run writes each service's
 * classes, as loaded and linked, and its methods' execution profiles into {@code DIR/<service>.aot} as the service
 * stops; a later run starts from them, so the JIT compiles the message path at once instead of after thousands of
 * messages (docs/performance.md, "Warm from the start"). A cache holds for the jars and the JDK it was recorded with.
 */
public record AotCache(Path directory, boolean record) {
    static final List<String> SERVICES = List.of("chat-service", "workflow-service", "ai-service", "notifier-service");
    /**
     * The shortest recording run: longer than the Kafka clients' connections.max.idle.ms (9 minutes by default), so
     * that the profiles include the path that closes an idle connection. A cache recorded without it sent the JIT
     * into a loop of recompiling the consumers' network thread (docs/performance.md, "Warm from the start").
     */
    static final Duration SHORTEST_RECORDING = Duration.ofMinutes(10);

    /** Recording when the directory lacks a service's cache, starting from the caches when it has all four. */
    public static AotCache in(Path directory) throws IOException {
        if (Runtime.version().feature() < 25) {
            throw new BenchmarkOptions.Invalid("--aot needs JDK 25 or newer to run the services (this is " + Runtime.version() + ")");
        }
        Path absolute = directory.toAbsolutePath();
        boolean record = !SERVICES.stream().allMatch(service -> Files.isRegularFile(absolute.resolve(service + ".aot")));
        if (record) {
            // the JVM writes its cache into an existing directory only
            Files.createDirectories(absolute);
        }
        return new AotCache(absolute, record);
    }

    /** Refuses a recording run planned shorter than {@link #SHORTEST_RECORDING}; a run from the caches may be any length. */
    void checkRecordingLength(Duration planned) {
        if (record && planned.compareTo(SHORTEST_RECORDING) < 0) {
            throw new BenchmarkOptions.Invalid(String.format("--aot %s records the caches in this run, which is planned to"
                    + " take %d s (--warmup and the steps): a recording needs at least %d s, longer than Kafka's"
                    + " connections.max.idle.ms, or the caches miss the path that closes idle connections; give --warmup"
                    + " %d s more", directory, planned.toSeconds(), SHORTEST_RECORDING.toSeconds(),
                    SHORTEST_RECORDING.minus(planned).toSeconds()));
        }
    }

    /** After a recording run has stopped the services: what each one wrote, or which did not (their logs say why). */
    String recorded() throws IOException {
        List<String> missing = SERVICES.stream().filter(service -> !Files.isRegularFile(directory.resolve(service + ".aot"))).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("no AOT cache written by " + String.join(", ", missing)
                    + ": see their logs in system-tests/target/system-logs");
        }
        StringBuilder sizes = new StringBuilder("AOT caches recorded in " + directory + ":");
        for (String service : SERVICES) {
            sizes.append(String.format(" %s %d MiB", service, Files.size(directory.resolve(service + ".aot")) >> 20));
        }
        return sizes.append("; the next run with --aot ").append(directory).append(" starts from them").toString();
    }

    /** For one process of a module: a module's replicas start from its one cache; only its first replica records. */
    List<String> jvmOptions(String process, String module) {
        String file = directory.resolve(module + ".aot").toString();
        if (record) {
            return process.equals(module) ? List.of("-XX:AOTCacheOutput=" + file) : List.of();
        }
        // on: a cache that does not match the jars or the JDK stops the service at start instead of running it cold
        return List.of("-XX:AOTCache=" + file, "-XX:AOTMode=on");
    }

    /** How long a service may take to stop: a recording one writes its cache as it exits (about a minute here). */
    static Duration stopTimeout(AotCache aot) {
        return aot != null && aot.record ? Duration.ofMinutes(5) : SystemUnderTest.STOP_TIMEOUT;
    }

    String describe() {
        return record ? "the services recording their AOT caches into " + directory + " as they stop"
                : "the services started from the AOT caches in " + directory + " (recorded by an earlier run)";
    }
}
