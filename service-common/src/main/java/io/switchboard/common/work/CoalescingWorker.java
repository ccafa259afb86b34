package io.switchboard.common.work;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import org.jboss.logging.Logger;

/**
 * A background loop on a thread of its own that runs when woken: after a commit that left work, and on a poll.
 * Wakes that arrive while one is already queued coalesce into it; a step that returns true ran and may have left
 * more, so it is called again. Stopping lets the step in progress finish (a send is never cut in half).
 */
public final class CoalescingWorker {
    private static final Logger LOG = Logger.getLogger(CoalescingWorker.class);
    private final String name;
    private final BooleanSupplier step;
    private final ExecutorService thread;
    private final AtomicBoolean queued = new AtomicBoolean();

    public CoalescingWorker(String name, BooleanSupplier step) {
        this.name = name;
        this.step = step;
        this.thread = Executors.newSingleThreadExecutor(r -> new Thread(r, name));
    }

    public void wake() {
        if (queued.compareAndSet(false, true) && !thread.isShutdown()) {
            try {
                thread.execute(this::run);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // stopping
            }
        }
    }

    private void run() {
        queued.set(false);
        try {
            while (!thread.isShutdown() && step.getAsBoolean()) {
                // it did something: there may be more
            }
        } catch (RuntimeException e) {
            LOG.warnf("%s failed, retrying at the next poll: %s", name, e.getMessage());
        }
    }

    /** Stops taking wakes and waits for the step in progress. */
    public void stop() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(20, TimeUnit.SECONDS)) {
                LOG.warnf("%s did not finish within 20 s", name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
