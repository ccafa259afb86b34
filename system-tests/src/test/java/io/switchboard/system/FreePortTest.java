package io.switchboard.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.switchboard.kafka.FreePort;

/**
 * The ports the tests and the local broker start listeners on: outside the range outgoing connections take theirs
 * from (a service's port taken by a Kafka client's connection made LauncherTest fail), never the same one twice.
 */
class FreePortTest {
    @Test
    void portsAreBindableBelowTheEphemeralRangeAndNeverHandedOutTwice() throws Exception {
        int ephemeralStart = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).split("\\s+")[0]);
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            int port = FreePort.pick();
            assertTrue(port >= 10_000 && port < ephemeralStart, port + " is outside 10000 to " + ephemeralStart);
            assertTrue(ports.add(port), port + " handed out twice");
        }
        try (var bound = new ServerSocket(FreePort.pick())) {
            assertEquals(true, bound.isBound());
        }
    }
}
