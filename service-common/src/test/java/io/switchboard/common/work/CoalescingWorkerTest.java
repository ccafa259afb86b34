package io.switchboard.common.work;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class CoalescingWorkerTest {

    @Test
    void stepsThatClaimWorkBeforeDoingItRunUpToTheParallelismAtOnceAndDoAllOfIt() throws InterruptedException {
        ConcurrentLinkedQueue<Integer> work = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < 10; i++) {
            work.add(i);
        }
        CountDownLatch gate = new CountDownLatch(1);
        AtomicInteger atOnce = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        Set<Integer> done = ConcurrentHashMap.newKeySet();
        AtomicReference<CoalescingWorker> worker = new AtomicReference<>();
        worker.set(new CoalescingWorker("test-slow-steps", 3, () -> {
            Integer item = work.poll();
            if (item == null) {
                return false;
            }
            worker.get().wake(); // claimed: others look for more while this one is slow
            mostAtOnce.accumulateAndGet(atOnce.incrementAndGet(), Math::max);
            try {
                gate.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            atOnce.decrementAndGet();
            done.add(item);
            return true;
        }));
        worker.get().wake();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (atOnce.get() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(3, atOnce.get(), "three slow steps in progress at once from one wake");
        gate.countDown();
        while (done.size() < 10 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        worker.get().stop();
        assertEquals(10, done.size());
        assertEquals(3, mostAtOnce.get(), "never more than the parallelism");
    }

    @Test
    void aWakeWhileEveryLoopIsBusyIsSeenBeforeTheLoopEnds() throws InterruptedException {
        // work committed, and its wake sent, while the only loop has looked and found nothing but not yet ended: the
        // wake finds every loop running and starts none; without a look again the work would wait for the next poll
        ConcurrentLinkedQueue<Integer> work = new ConcurrentLinkedQueue<>();
        AtomicInteger looks = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(1);
        CountDownLatch thirdLook = new CountDownLatch(1);
        AtomicReference<CoalescingWorker> worker = new AtomicReference<>();
        worker.set(new CoalescingWorker("test-wakes", 1, () -> {
            boolean found = work.poll() != null;
            int look = looks.incrementAndGet();
            if (look == 3) {
                thirdLook.countDown();
            }
            if (look == 1) {
                work.add(1);
                Thread other = Thread.ofPlatform().start(() -> worker.get().wake());
                try {
                    other.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (found) {
                done.countDown();
            }
            return found;
        }));
        worker.get().wake();
        assertTrue(done.await(5, TimeUnit.SECONDS), "the work added during the first look is done");
        // the loop that did the work looks once more before it ends; stopping before that look would skip it
        assertTrue(thirdLook.await(5, TimeUnit.SECONDS), "the loop looked again after the work");
        worker.get().stop();
        assertEquals(3, looks.get(), "the first look found nothing, the second the work, the third nothing");
    }

    @Test
    void aParallelismBelowOneIsRefused() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> new CoalescingWorker("named", 0, () -> false));
        assertTrue(refused.getMessage().contains("named"), refused.getMessage());
    }
}
