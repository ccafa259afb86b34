package io.switchboard.system;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The benchmark's options read before a run of many minutes (a bad value fails at once, naming the option), and what
 * its report names of the environment.
 */
class BenchmarkOptionsTest {
    @Test
    void workflowCountsMayGoBackAndForth() {
        assertArrayEquals(new int[] {10, 1000, 10, 1000}, BenchmarkOptions.parse("--workflows", "10,1000,10,1000").numbers("workflows", null, 0));
        assertArrayEquals(new int[] {0, 5}, BenchmarkOptions.parse("--workflows", "0, 5").numbers("workflows", null, 0));
    }

    @Test
    void aWorkflowCountThatIsNotACountIsRefusedWithTheValue() {
        for (String bad : new String[] {"10,x", "10,-1", "", "10,,20"}) {
            var refused = assertThrows(BenchmarkOptions.Invalid.class, () -> BenchmarkOptions.parse("--workflows", bad).numbers("workflows", null, 0));
            assertTrue(refused.getMessage().startsWith("--workflows:") && refused.getMessage().contains("(got " + bad + ")"),
                    refused.getMessage());
        }
    }

    @Test
    void numbersAndFlagsAreReadWithTheirDefaultsAndABadOneNamesItsOption() {
        var options = BenchmarkOptions.parse("--rates", "25,40", "--seconds", "60", "--tracing", "true");
        assertArrayEquals(new int[] {25, 40}, options.numbers("rates", "50,200,1000", 1));
        assertEquals(60, options.number("seconds", 20, 1));
        assertEquals(20, options.number("warmup-rate", 20, 1));
        assertTrue(options.flag("tracing", false));
        assertArrayEquals(new int[] {50, 200, 1000}, BenchmarkOptions.parse().numbers("rates", "50,200,1000", 1));
        for (String[] bad : new String[][] {{"--soak-rate", "x"}, {"--soak-rate", "0"}, {"--soak-rate", "5,6"}, {"--soak-rate", "2.5"}}) {
            var refused = assertThrows(BenchmarkOptions.Invalid.class, () -> BenchmarkOptions.parse(bad).number("soak-rate", 25, 1));
            assertEquals("--soak-rate: a whole number, 1 or more (got " + bad[1] + ")", refused.getMessage());
        }
        var notAFlag = assertThrows(BenchmarkOptions.Invalid.class, () -> BenchmarkOptions.parse("--tracing", "yes").flag("tracing", false));
        assertEquals("--tracing: true or false (got yes)", notAFlag.getMessage());
        for (String[] bad : new String[][] {{"--speed", "5"}, {"--seconds"}, {"seconds", "5"}}) {
            var refused = assertThrows(BenchmarkOptions.Invalid.class, () -> BenchmarkOptions.parse(bad));
            assertTrue(refused.getMessage().startsWith("usage: ") && refused.getMessage().endsWith("(got " + bad[0] + ")"), refused.getMessage());
        }
    }

    @Test
    void aPauseNamesAServiceTheRunStartsAndLeavesTheStepsLastThirdToCatchUpIn() {
        var services = SystemUnderTest.serviceNames(1);
        assertEquals(new Pause("ai-service", 10), Pause.parse("ai-service:10", 60, services));
        assertEquals(new Pause("notifier-service", 20), Pause.parse("notifier-service:20", 60, services));
        for (String bad : new String[] {"kafka:10", "ai-service", "ai-service:x", "ai-service:10:1", "notifier-service-2:5"}) {
            var refused = assertThrows(BenchmarkOptions.Invalid.class, () -> Pause.parse(bad, 60, services));
            assertTrue(refused.getMessage().startsWith("--pause:") && refused.getMessage().contains("(got " + bad + ")"), refused.getMessage());
        }
        for (String tooLong : new String[] {"ai-service:0", "ai-service:21"}) {
            var refused = assertThrows(BenchmarkOptions.Invalid.class, () -> Pause.parse(tooLong, 60, services));
            assertTrue(refused.getMessage().startsWith("--pause:") && refused.getMessage().contains("got " + tooLong.split(":")[1]), refused.getMessage());
        }
    }

    @Test
    void theReportNamesTheTuningVariablesSetAndNoOtherVariable() {
        var env = Map.of("SWITCHBOARD_CONSUMER_CONCURRENCY", "1", "SWITCHBOARD_AGENT_TOKEN", "secret-token",
                "SWITCHBOARD_KAFKA_GROUP_PROTOCOL", "classic", "PATH", "/usr/bin");
        assertEquals("SWITCHBOARD_CONSUMER_CONCURRENCY=1, SWITCHBOARD_KAFKA_GROUP_PROTOCOL=classic", Benchmark.tuning(env));
        assertEquals("", Benchmark.tuning(Map.of("SWITCHBOARD_AGENT_TOKEN", "secret-token")));
        assertEquals("SWITCHBOARD_SERVICE_GC=zgc", Benchmark.tuning(Map.of("SWITCHBOARD_SERVICE_GC", "zgc", "PATH", "/usr/bin")));
    }

    @Test
    void theServicesRunTheSerialCollectorUnlessTheVariableNamesAnother() {
        assertEquals("-XX:+UseSerialGC", SystemUnderTest.collector(Map.of()));
        assertEquals("-XX:+UseZGC", SystemUnderTest.collector(Map.of("SWITCHBOARD_SERVICE_GC", " ZGC ")));
        var refused = assertThrows(IllegalArgumentException.class, () -> SystemUnderTest.collector(Map.of("SWITCHBOARD_SERVICE_GC", "shenandoah")));
        assertTrue(refused.getMessage().startsWith("SWITCHBOARD_SERVICE_GC must be one of [g1, parallel, serial, zgc]")
                && refused.getMessage().endsWith("got shenandoah"), refused.getMessage());
    }
}
