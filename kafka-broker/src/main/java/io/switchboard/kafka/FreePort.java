package io.switchboard.kafka;

import java.io.BufferedReader;
import java.io.FileReader;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A port that is free now, for a listener that binds it later (a broker, a service started as a process, restarted
 * on the same port). Taken below the kernel's ephemeral range: outgoing connections draw their local ports from that
 * range, so a port picked there could be taken by one (a Kafka client's, a database pool's) before the listener
 * binds it. A port is handed out once per JVM.
 */
public final class FreePort {
    private static final String EPHEMERAL_RANGE = "/proc/sys/net/ipv4/ip_local_port_range";
    private static final int LOWEST = 10_000;
    private static final int EPHEMERAL_START = ephemeralStart();
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePort() {
    }

    public static int pick() throws IOException {
        int below = EPHEMERAL_START;
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = below - LOWEST >= 1_000 ? ThreadLocalRandom.current().nextInt(LOWEST, below) : ephemeral();
            if (HANDED_OUT.add(port)) {
                if (bindable(port)) {
                    return port;
                }
                HANDED_OUT.remove(port);
            }
        }
        throw new IOException("no free port found between " + LOWEST + " and " + below);
    }

    /** The first port of the ephemeral range (Linux; 32768, its default, where the file cannot be read). */
    private static int ephemeralStart() {
        // read as a stream: Files.readString gets only the first byte of this procfs file (its size reads as 0)
        try (var reader = new BufferedReader(new FileReader(EPHEMERAL_RANGE))) {
            return Integer.parseInt(reader.readLine().strip().split("\\s+")[0]);
        } catch (IOException | RuntimeException unreadable) {
            return 32_768;
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    private static int ephemeral() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
