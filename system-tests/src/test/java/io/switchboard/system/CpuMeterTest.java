package io.switchboard.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

/** The benchmark's CPU by thread: names grouped as the reader expects, and the ticks of a busy thread found under its group. */
class CpuMeterTest {
    @Test
    void threadsNamedAlikeAreOneGroupWhateverTheirNumbers() {
        // as the kernel keeps them: the first 15 characters of the Java name
        assertEquals("smallrye-kafka", CpuMeter.groupOf("smallrye-kafka-"));
        assertEquals("vert.x-eventloo", CpuMeter.groupOf("vert.x-eventloo"));
        assertEquals("HttpClient-Wo", CpuMeter.groupOf("HttpClient-1-Wo"));
        assertEquals("GC Thread", CpuMeter.groupOf("GC Thread#1"));
        assertEquals("ai-answers", CpuMeter.groupOf("ai-answers-12"));
        assertEquals(CpuMeter.JIT, CpuMeter.groupOf("C2 CompilerThre"));
        assertEquals(CpuMeter.JIT, CpuMeter.groupOf("C1 CompilerThre"));
        assertEquals("42", CpuMeter.groupOf("42"));
    }

    @Test
    void postgresServerProcessesAreGroupedByTheRunsDatabase() {
        String prefix = "switchboard_ab12_";
        assertEquals("chat database", CpuMeter.postgresGroup("postgres: 15/main: postgres switchboard_ab12_chat 127.0.0.1(51234) idle", prefix));
        assertEquals("ai database", CpuMeter.postgresGroup("postgres: postgres switchboard_ab12_ai 127.0.0.1(51234) idle in transaction", prefix));
        assertEquals("server and other databases", CpuMeter.postgresGroup("postgres: 15/main: postgres switchboard_zz99_chat [local] idle", prefix));
        assertEquals("server and other databases", CpuMeter.postgresGroup("postgres: 15/main: walwriter", prefix));
        assertEquals("server and other databases", CpuMeter.postgresGroup("/usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql/15/main", prefix));
    }

    @Test
    void aThreadThatEndedTakesOnlyItsOwnTicksAway() {
        // thread 2 ended after the first sample, thread 3 started after it: the group grew by 30 + 5, not by 35 - 150
        var perMessage = CpuMeter.perGroup(Map.of("p", Map.of("pool#1", 100.0, "pool#2", 50.0)),
                Map.of("p", Map.of("pool#1", 130.0, "pool#3", 5.0)), 5);
        assertEquals(Map.of("pool", 7.0), perMessage.get("p"));
    }

    @Test
    void aBusyThreadsCpuIsCountedUnderItsGroup() throws Exception {
        AtomicBoolean spinning = new AtomicBoolean(true);
        Thread busy = Thread.ofPlatform().name("cpu-meter-busy-3").start(() -> {
            long x = 0;
            while (spinning.get()) {
                x += System.nanoTime() % 7;
            }
            if (x == 42) {
                System.out.print("");
            }
        });
        try {
            long pid = ProcessHandle.current().pid();
            var before = Map.of("this JVM", CpuMeter.threads(pid));
            long deadline = System.nanoTime() + 10_000_000_000L;
            double grew = 0;
            while (grew < 200 && System.nanoTime() < deadline) {
                Thread.sleep(50);
                grew = CpuMeter.perGroup(before, Map.of("this JVM", CpuMeter.threads(pid)), 1).get("this JVM").getOrDefault("cpu-meter-busy", 0.0);
            }
            assertTrue(grew >= 200, "the busy thread's CPU grew by " + grew + " ms only");
        } finally {
            spinning.set(false);
            busy.join();
        }
    }
}
