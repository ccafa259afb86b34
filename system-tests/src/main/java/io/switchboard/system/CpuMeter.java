package io.switchboard.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * CPU time (user + system) that each part of the system used, read from {@code /proc/<pid>/stat}: the four services,
 * the broker, PostgreSQL (all its processes) and Redis, and the load generator with its stubs. Divided by the messages
 * of a step it says what one message costs where, which on a machine that runs everything decides the ceiling.
 */
final class CpuMeter {
    /** Clock ticks per second of /proc's times: 100 on every Linux this runs on (USER_HZ). */
    private static final double TICK_MS = 10.0;
    /** The group of HotSpot's compiler threads ("C1 CompilerThread0", "C2 CompilerThread1", ...) in {@link #threadSample()}. */
    static final String JIT = "JIT compiler";
    /** The part that is not the system: this JVM, which sends the load, holds the sockets and plays the model. */
    static final String LOAD_GENERATOR = "load generator and stubs";
    /** Between a thread's group and its id in a {@link #threadSample()}'s keys. */
    private static final char THREAD_ID = '#';
    /** A server process's title: "postgres: 15/main: USER DATABASE HOST(PORT) STATE", or "postgres: 15/main: walwriter". */
    private static final Pattern BACKEND = Pattern.compile("postgres: (?:\\S+/\\S+: )?\\S+ (\\S+) \\S+ .*");

    private final SystemUnderTest system;

    CpuMeter(SystemUnderTest system) {
        this.system = system;
    }

    /** Milliseconds of CPU so far, per part. */
    Map<String, Double> sample() {
        Map<String, Double> millis = new LinkedHashMap<>();
        system.services().forEach((name, service) -> millis.put(name, processMillis(service.process().pid())));
        millis.put("kafka broker", processMillis(system.kafkaPid()));
        millis.put("postgresql", ticksOf(command -> command.equals("postgres")) * TICK_MS);
        millis.put("redis", ticksOf(command -> command.startsWith("redis-server")) * TICK_MS);
        millis.put(LOAD_GENERATOR, processMillis(ProcessHandle.current().pid()));
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
        system.services().forEach((name, service) -> millis.put(name, compilerMillis(service.process().pid())));
        millis.put("kafka broker", compilerMillis(system.kafkaPid()));
        millis.put(LOAD_GENERATOR, compilerMillis(ProcessHandle.current().pid()));
        return millis;
    }

    /**
     * Milliseconds of CPU so far of each thread of each Java process, grouped by {@link #perGroup} (threads named alike,
     * their numbers dropped: the four "smallrye-kafka-consumer-thread-N" are one group), and of each PostgreSQL process,
     * grouped by the database it serves (its background processes as one group). Says which part of a process a
     * message's CPU goes to, so the next change aims at the largest.
     */
    Map<String, Map<String, Double>> threadSample() {
        Map<String, Map<String, Double>> millis = new LinkedHashMap<>();
        system.services().forEach((name, service) -> millis.put(name, threads(service.process().pid())));
        millis.put("kafka broker", threads(system.kafkaPid()));
        millis.put("postgresql", postgresByDatabase(system.databasePrefix()));
        millis.put(LOAD_GENERATOR, threads(ProcessHandle.current().pid()));
        return millis;
    }

    /**
     * Thread groups' CPU between two {@link #threadSample()}s, divided by {@code units}: each thread's own difference,
     * summed by group, so a thread that ended in between takes only its own ticks away (into the process's rest).
     */
    static Map<String, Map<String, Double>> perGroup(Map<String, Map<String, Double>> before, Map<String, Map<String, Double>> after,
            long units) {
        Map<String, Map<String, Double>> per = new LinkedHashMap<>();
        after.forEach((part, threads) -> {
            Map<String, Double> earlier = before.getOrDefault(part, Map.of());
            Map<String, Double> groups = new TreeMap<>();
            threads.forEach((thread, ms) -> groups.merge(thread.substring(0, thread.lastIndexOf(THREAD_ID)),
                    units == 0 ? Double.NaN : (ms - earlier.getOrDefault(thread, 0.0)) / units, Double::sum));
            per.put(part, groups);
        });
        return per;
    }

    /**
     * A thread's group: its name as the kernel keeps it (15 characters) without its numbering, so
     * "vert.x-eventloop-thread-1" is "vert.x-eventloo" and "HttpClient-1-Worker-0" is "HttpClient-Wo".
     */
    static String groupOf(String threadName) {
        if (threadName.matches("C\\d CompilerThre.*")) {
            return JIT;
        }
        String group = threadName.replaceAll("-\\d+-", "-").replaceAll("[-_#\\s\\d]+$", "");
        return group.isEmpty() ? threadName : group;
    }

    /** Each thread's CPU so far, keyed by its group and its id ("vert.x-eventloo#1234"). */
    static Map<String, Double> threads(long pid) {
        Map<String, Double> millis = new TreeMap<>();
        try (Stream<Path> threads = Files.list(Path.of("/proc/" + pid + "/task"))) {
            threads.forEach(thread -> millis.put(groupOf(comm(thread)) + THREAD_ID + thread.getFileName(), ticksAt(thread.resolve("stat")) * TICK_MS));
        } catch (IOException | RuntimeException e) {
            // the process is gone: no threads
        }
        return millis;
    }

    /** PostgreSQL's processes by the database they serve: this run's ("chat", "workflow", "ai"), or the server's own work. */
    private static Map<String, Double> postgresByDatabase(String databasePrefix) {
        Map<String, Double> millis = new TreeMap<>();
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> comm(p).equals("postgres"))
                    .forEach(p -> millis.put(postgresGroup(commandLine(p), databasePrefix) + THREAD_ID + p.getFileName(), ticksAt(p.resolve("stat")) * TICK_MS));
        } catch (IOException e) {
            // no /proc: no groups
        }
        return millis;
    }

    /** A PostgreSQL process's group by its title: "chat database" for a server process of this run's chat database. */
    static String postgresGroup(String title, String databasePrefix) {
        Matcher backend = BACKEND.matcher(title);
        return backend.matches() && backend.group(1).startsWith(databasePrefix)
                ? backend.group(1).substring(databasePrefix.length()) + " database"
                : "server and other databases";
    }

    private static String commandLine(Path process) {
        try {
            return new String(Files.readAllBytes(process.resolve("cmdline"))).replace('\0', ' ').strip();
        } catch (IOException e) {
            return "";
        }
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

    /** A process's CPU milliseconds so far (user + system); 0 when it is gone. */
    static double processMillis(long pid) {
        return ticks(pid) * TICK_MS;
    }

    /** utime + stime of a process, in clock ticks; 0 when it is gone. */
    private static long ticks(long pid) {
        return ticksAt(Path.of("/proc/" + pid + "/stat"));
    }

    /**
     * CPU milliseconds of HotSpot's compiler threads of a process (its {@link #JIT} group). With more cores HotSpot may
     * start and stop compiler threads beyond the first of each kind, and a thread gone takes its ticks with it; on 2
     * cores there is one of each, which stays.
     */
    static double compilerMillis(long pid) {
        return threads(pid).entrySet().stream().filter(thread -> thread.getKey().startsWith(JIT + THREAD_ID))
                .mapToDouble(Map.Entry::getValue).sum();
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
