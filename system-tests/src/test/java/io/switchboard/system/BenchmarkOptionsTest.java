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
        assertArrayEquals(new int[] {10, 1000, 10, 1000}, Benchmark.workflowCounts("10,1000,10,1000"));
        assertArrayEquals(new int[] {0, 5}, Benchmark.workflowCounts("0, 5"));
    }

    @Test
    void aWorkflowCountThatIsNotACountIsRefusedWithTheValue() {
        for (String bad : new String[] {"10,x", "10,-1", "", "10,,20"}) {
            var refused = assertThrows(IllegalArgumentException.class, () -> Benchmark.workflowCounts(bad));
            assertTrue(refused.getMessage().startsWith("--workflows:") && refused.getMessage().contains("(got " + bad + ")"),
                    refused.getMessage());
        }
    }

    @Test
    void theReportNamesTheTuningVariablesSetAndNoOtherVariable() {
        var env = Map.of("SWITCHBOARD_CONSUMER_CONCURRENCY", "1", "SWITCHBOARD_AGENT_TOKEN", "secret-token",
                "SWITCHBOARD_KAFKA_GROUP_PROTOCOL", "classic", "PATH", "/usr/bin");
        assertEquals("SWITCHBOARD_CONSUMER_CONCURRENCY=1, SWITCHBOARD_KAFKA_GROUP_PROTOCOL=classic", Benchmark.tuning(env));
        assertEquals("", Benchmark.tuning(Map.of("SWITCHBOARD_AGENT_TOKEN", "secret-token")));
    }
}
