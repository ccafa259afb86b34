package io.switchboard.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time (user + system) that each part of the system used, read from {@code /proc/<pid>/stat}: the four services,
 * the broker, PostgreSQL (all its processes) and Redis, and the load generator with its stubs. Divided by the messages
 * of a step it says what one message costs where, which on a machine that runs everything decides the ceiling.
 */
final class CpuMeter {
    /** Clock ticks per second of /proc's times: 100 on every Linux this runs on (USER_HZ). */
    private static final double TICK_MS = 10.0;

    private final SystemUnderTest system;

    CpuMeter(SystemUnderTest system) {
        this.system = system;
    }

    /** Milliseconds of CPU so far, per part. */
    Map<String, Double> sample() {
        Map<String, Double> millis = new LinkedHashMap<>();
        system.services().forEach((name, service) -> millis.put(name, ticks(service.process().pid()) * TICK_MS));
        millis.put("kafka broker", ticks(system.kafkaPid()) * TICK_MS);
        millis.put("postgresql", ticksOf(command -> command.equals("postgres")) * TICK_MS);
        millis.put("redis", ticksOf(command -> command.startsWith("redis-server")) * TICK_MS);
        millis.put("load generator and stubs", ticks(ProcessHandle.current().pid()) * TICK_MS);
        return millis;
    }

    /**
     * Milliseconds of CPU so far that the JIT compiler's threads used, per Java process (the services, the broker, the
     * load generator). Compiling is warm-up, not serving: a service that has handled a message path some thousands of
     * times has compiled it, and a step right after a short warm-up still pays for it in every column of
     * {@link #sample()}. Reported apart so the two can be told apart.
     */
    Map<String, Double> jitSample() {
        Map<String, Double> millis = new LinkedHashMap<>();
        system.services().forEach((name, service) -> millis.put(name, compilerTicks(service.process().pid()) * TICK_MS));
        millis.put("kafka broker", compilerTicks(system.kafkaPid()) * TICK_MS);
        millis.put("load generator and stubs", compilerTicks(ProcessHandle.current().pid()) * TICK_MS);
        return millis;
    }

    /** CPU milliseconds between two samples, divided by {@code units} (messages sent, or seconds elapsed). */
    static Map<String, Double> per(Map<String, Double> before, Map<String, Double> after, long units) {
        Map<String, Double> per = new LinkedHashMap<>();
        after.forEach((part, ms) -> per.put(part, units == 0 ? Double.NaN : (ms - before.getOrDefault(part, 0.0)) / units));
        return per;
    }

    private static long ticksOf(java.util.function.Predicate<String> command) {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            return processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> command.test(comm(p))).mapToLong(p -> ticks(Long.parseLong(p.getFileName().toString()))).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    private static String comm(Path process) {
        try {
            return Files.readString(process.resolve("comm")).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** utime + stime of a process, in clock ticks; 0 when it is gone. */
    private static long ticks(long pid) {
        return ticksAt(Path.of("/proc/" + pid + "/stat"));
    }

    /**
     * utime + stime of HotSpot's compiler threads ("C1 CompilerThread0", "C2 CompilerThread1", ...) of a process. With
     * more cores HotSpot may start and stop compiler threads beyond the first of each kind, and a thread gone takes its
     * ticks with it; on 2 cores there is one of each, which stays.
     */
    private static long compilerTicks(long pid) {
        try (Stream<Path> threads = Files.list(Path.of("/proc/" + pid + "/task"))) {
            return threads.filter(thread -> comm(thread).matches("C\\d CompilerThre.*")).mapToLong(thread -> ticksAt(thread.resolve("stat"))).sum();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** utime + stime of a /proc stat file (a process's or a thread's), in clock ticks; 0 when it is gone. */
    private static long ticksAt(Path stat) {
        try {
            String line = Files.readString(stat);
            // the command name is in parentheses and may hold spaces: count fields after its closing one
            String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
