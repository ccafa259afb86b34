package io.switchboard.common.work;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.jboss.logging.Logger;

/**
 * A background loop that runs when woken: after a commit that left work, and on a poll. A step that returns true ran
 * and may have left more, so it is called again; one that returns false found nothing. Up to {@code parallelism}
 * loops run at once, each on a thread of its own: a wake starts another while fewer run, and is otherwise kept for a
 * running loop to see before it ends, so no wake is lost and idle wakes cost nothing. A step that claims work before
 * doing it slowly (a platform's send) wakes the worker itself, so others look for more meanwhile. Stopping lets the
 * steps in progress finish (a send is never cut in half).
 */
public final class CoalescingWorker {
    private static final Logger LOG = Logger.getLogger(CoalescingWorker.class);
    private final String name;
    private final BooleanSupplier step;
    private final int parallelism;
    private final ExecutorService threads;
    private final AtomicInteger running = new AtomicInteger();
    /** Set by a wake, cleared by a loop before its step looks: a loop that ends sees the wakes its step may have missed. */
    private final AtomicBoolean woken = new AtomicBoolean();

    /** One loop at a time: steps that must not overlap (the outbox relay, which keeps commit order). */
    public CoalescingWorker(String name, BooleanSupplier step) {
        this(name, 1, step);
    }

    public CoalescingWorker(String name, int parallelism, BooleanSupplier step) {
        if (parallelism < 1) {
            throw new IllegalArgumentException(name + ": parallelism must be at least 1, got " + parallelism);
        }
        this.name = name;
        this.step = step;
        this.parallelism = parallelism;
        AtomicInteger threadNumber = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(parallelism,
                r -> new Thread(r, parallelism == 1 ? name : name + "-" + threadNumber.incrementAndGet()));
    }

    public void wake() {
        woken.set(true);
        int loops;
        do {
            loops = running.get();
            if (loops >= parallelism) {
                return; // a running loop sees the wake before it ends
            }
        } while (!running.compareAndSet(loops, loops + 1));
        try {
            threads.execute(this::run);
        } catch (RejectedExecutionException e) {
            running.decrementAndGet(); // stopping
        }
    }

    private void run() {
        boolean failed = false;
        try {
            do {
                woken.set(false);
            } while (!threads.isShutdown() && step.getAsBoolean());
        } catch (RuntimeException e) {
            failed = true;
            LOG.warnf("%s failed, retrying at the next poll: %s", name, e.getMessage());
        } finally {
            running.decrementAndGet();
        }
        // a wake that came after the last look found every loop running and started none: look again (after a
        // failure the poll does, so a step that keeps failing does not spin)
        if (!failed && woken.get() && !threads.isShutdown()) {
            wake();
        }
    }

    /** Stops taking wakes and waits for the steps in progress. */
    public void stop() {
        threads.shutdown();
        try {
            if (!threads.awaitTermination(20, TimeUnit.SECONDS)) {
                LOG.warnf("%s did not finish within 20 s", name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
