package io.switchboard.system;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * The machine's own PostgreSQL and Redis, taken away and given back as an outage would: Redis shut down without
 * saving (so it comes back empty, restarted and flushed at once) and PostgreSQL stopped ({@code -m fast}: open
 * connections are cut) and started again, with the same commands that start them on a new machine.
 */
public final class LocalServices {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private LocalServices() {
    }

    /** SHUTDOWN NOSAVE, then starts Redis again: everything it held is gone. */
    public static void restartRedisEmpty() throws Exception {
        Redis.shutdownWithoutSaving();
        awaitPort(6379, false);
        startRedis();
    }

    private static void startRedis() throws Exception {
        run(List.of("redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", "6379", "--save", "", "--appendonly", "no"));
        awaitPort(6379, true);
    }

    public static void stopPostgres() throws Exception {
        run(List.of("pg_ctlcluster", "--skip-systemctl-redirect", postgresVersion(), "main", "stop", "-m", "fast"));
        awaitPort(5432, false);
    }

    public static void startPostgres() throws Exception {
        run(List.of("pg_ctlcluster", "--skip-systemctl-redirect", postgresVersion(), "main", "start"));
        awaitPort(5432, true);
    }

    /** Starts whichever of the two is down: a fault test that failed half-way must not leave the machine without them. */
    public static void ensureUp() throws Exception {
        if (!listening(5432)) {
            startPostgres();
        }
        if (!listening(6379)) {
            startRedis();
        }
    }

    private static boolean listening(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String postgresVersion() throws IOException {
        try (Stream<Path> versions = Files.list(Path.of("/etc/postgresql"))) {
            return versions.map(p -> p.getFileName().toString()).max((a, b) -> Integer.compare(major(a), major(b)))
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL cluster under /etc/postgresql"));
        }
    }

    private static int major(String version) {
        try {
            return Integer.parseInt(version.replaceAll("\\..*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    private static void awaitPort(int port, boolean open) throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (listening(port) == open) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("port " + port + (open ? " did not open" : " did not close") + " within " + START_TIMEOUT);
    }
}
