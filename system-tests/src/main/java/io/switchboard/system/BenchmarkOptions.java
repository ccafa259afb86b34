package io.switchboard.system;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./switchboard bench}'s command line. Every value is read before the system starts, so a bad one fails at once,
 * naming its option, instead of after a warm-up of minutes; {@link Invalid} is what {@link Benchmark#main} prints as a
 * usage error rather than a stack trace.
 */
final class BenchmarkOptions {
    /** A value the benchmark cannot run with; the message names the option and the value. */
    static final class Invalid extends IllegalArgumentException {
        Invalid(String message) {
            super(message);
        }
    }

    private static final Set<String> KNOWN = Set.of("conversations", "rates", "seconds", "warmup", "warmup-rate", "idle-sockets", "tracing",
            "model", "think-ms", "workflows", "workflow-rate", "rebalance", "soak", "soak-rate", "aot", "fan-out-rate", "pause", "out", "search");
    private static final String USAGE = "--conversations N --rates R1,R2 --seconds S --warmup S --warmup-rate R --idle-sockets K --tracing true|false"
            + " --model stub|local --think-ms MS --workflows N1,N2 --workflow-rate R --rebalance RATE --soak MINUTES --soak-rate R --aot DIR"
            + " --fan-out-rate R --pause SERVICE:SECONDS --out DIR, or --search MESSAGES --out DIR";

    private final Map<String, String> values;

    private BenchmarkOptions(Map<String, String> values) {
        this.values = values;
    }

    static BenchmarkOptions parse(String... args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || !KNOWN.contains(args[i].substring(2)) || i + 1 >= args.length) {
                throw new Invalid("usage: " + USAGE + " (got " + args[i] + ")");
            }
            values.put(args[i].substring(2), args[++i]);
        }
        return new BenchmarkOptions(values);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    String text(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    /** null when the option is not given. */
    Path path(String name) {
        return has(name) ? Path.of(values.get(name)) : null;
    }

    boolean flag(String name, boolean fallback) {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        if (!value.equals("true") && !value.equals("false")) {
            throw new Invalid("--" + name + ": true or false (got " + value + ")");
        }
        return Boolean.parseBoolean(value);
    }

    /** A whole number, {@code least} or more. */
    int number(String name, int fallback, int least) {
        return has(name) ? wholeNumbers(name, values.get(name), least, "a whole number", false)[0] : fallback;
    }

    /** Whole numbers, {@code least} or more each, comma-separated (one is fine). */
    int[] numbers(String name, String fallback, int least) {
        return wholeNumbers(name, values.getOrDefault(name, fallback), least, "whole numbers", true);
    }

    private static int[] wholeNumbers(String name, String value, int least, String what, boolean list) {
        try {
            int[] numbers = Arrays.stream(value.split(",", -1)).map(String::strip).mapToInt(Integer::parseInt).toArray();
            if ((list || numbers.length == 1) && Arrays.stream(numbers).allMatch(n -> n >= least)) {
                return numbers;
            }
        } catch (NumberFormatException e) {
            // said below, with the value
        }
        throw new Invalid("--" + name + ": " + what + ", " + least + " or more" + (list ? " each, comma-separated" : "") + " (got " + value + ")");
    }
}
