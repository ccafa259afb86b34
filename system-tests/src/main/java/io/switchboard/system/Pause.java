package io.switchboard.system;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code --pause SERVICE:SECONDS}: a backlog made on purpose. A third of the way into each step the service's process
 * is stopped (SIGSTOP) and continued SECONDS later, while the load goes on; how soon messages are answered as fast as
 * before tells how fast the system works a backlog off, and the stages around it show what the backlog does to them
 * (the customer's POST waiting for locks the catch-up holds, for one).
 */
record Pause(String service, int seconds) {
    static Pause parse(String value, int stepSeconds, java.util.Set<String> services) {
        String[] parts = value.split(":");
        if (parts.length != 2 || !services.contains(parts[0]) || !parts[1].matches("[0-9]{1,4}")) {
            throw new BenchmarkOptions.Invalid("--pause: SERVICE:SECONDS, SERVICE one of " + services + " (got " + value + ")");
        }
        int seconds = Integer.parseInt(parts[1]);
        // stopped at a third of the step, and the step's last third left to catch up in
        if (seconds < 1 || seconds * 3 > stepSeconds) {
            throw new BenchmarkOptions.Invalid("--pause: 1 to a third of --seconds (" + stepSeconds / 3 + ") seconds, got " + seconds);
        }
        return new Pause(parts[0], seconds);
    }

    /** When the service was stopped and continued (System.nanoTime). */
    record Window(long stoppedAt, long resumedAt) {
    }

    /**
     * How the step went around the pause: the latency p99 of the messages answered before it; how many were sent while the
     * service stood; how long after it went on the messages sent were answered within twice that p99 again (NaN: not
     * before the step ended); the slowest answer.
     */
    record CatchUp(String service, int pausedSeconds, double p99BeforeMs, long sentWhileStopped, double caughtUpSeconds, double maxMs) {
    }

    /** Stops the service a third of the way into a step that started at {@code stepStart}, in the background. */
    CompletableFuture<Window> during(SystemUnderTest.Service target, long stepStart, int stepSeconds) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                sleepUntil(stepStart + TimeUnit.SECONDS.toNanos(stepSeconds) / 3);
                target.suspend();
                long stoppedAt = System.nanoTime();
                try {
                    sleepUntil(stoppedAt + TimeUnit.SECONDS.toNanos(seconds));
                } finally {
                    target.resume();
                }
                return new Window(stoppedAt, System.nanoTime());
            } catch (Exception e) {
                throw new IllegalStateException("--pause " + service + ": " + e.getMessage(), e);
            }
        }, runnable -> Thread.ofVirtual().name("pause-" + service).start(runnable));
    }

    /** {@code answers}: the step's answers, each {time it came in, System.nanoTime; latency ms}. */
    CatchUp catchUp(List<double[]> answers, Window window) {
        // the usual: answers that came in before the stop (those sent just before it waited for it)
        double p99Before = Benchmark.Percentiles.of(answers.stream().filter(a -> a[0] < window.stoppedAt()).map(a -> a[1]).toList()).p99();
        // {sent, latency}, in the order the messages were sent
        List<double[]> bySend = answers.stream().map(a -> new double[] {a[0] - a[1] * 1e6, a[1]})
                .sorted(Comparator.comparingDouble(a -> a[0])).toList();
        long sentWhileStopped = bySend.stream().filter(a -> a[0] >= window.stoppedAt() && a[0] < window.resumedAt()).count();
        // the last message, in the order they were sent, that waited longer than twice the usual: from the next one on,
        // the backlog was gone
        double slowLimit = 2 * p99Before;
        int lastSlow = -1;
        for (int i = bySend.size() - 1; i >= 0 && lastSlow < 0; i--) {
            if (bySend.get(i)[1] > slowLimit) {
                lastSlow = i;
            }
        }
        double caughtUp = lastSlow < 0 ? 0
                : lastSlow == bySend.size() - 1 ? Double.NaN
                : Math.max(0, (bySend.get(lastSlow + 1)[0] - window.resumedAt()) / 1e9);
        double max = bySend.stream().mapToDouble(a -> a[1]).max().orElse(Double.NaN);
        return new CatchUp(service, seconds, p99Before, sentWhileStopped, caughtUp, max);
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }
}
