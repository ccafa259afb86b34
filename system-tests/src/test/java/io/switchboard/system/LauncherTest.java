package io.switchboard.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.switchboard.kafka.FreePort;

/**
 * {@code ./switchboard up} on a machine where nothing answers on the PostgreSQL and Redis addresses: it starts
 * embedded ones, the seed's handoff scenario plays, and after a stop and a second start the conversation, its
 * messages and the switched-off AI are all still there. A second launcher beside the first says so and leaves.
 */
class LauncherTest {
    private static final Duration UP = Duration.ofMinutes(4);
    private static final Api API = new Api();

    private static Path root() {
        Path path = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        return Files.exists(path.resolve("switchboard")) ? path : path.getParent();
    }

    record Launcher(Process process, Path log, long startedNanos) {
        String output() throws IOException {
            return Files.readString(log);
        }

        /** Seconds from the command to "Switchboard is up". */
        long awaitUp() {
            Awaitility.await().atMost(UP).pollInterval(Duration.ofSeconds(1)).until(() -> {
                assertTrue(process.isAlive() || output().contains("Switchboard is up"), "the launcher ended:\n" + output());
                return output().contains("Switchboard is up");
            });
            return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedNanos);
        }

        /** Ctrl-C's equivalent for a process without a terminal: SIGTERM, which the launcher traps to stop everything. */
        void stop() throws Exception {
            process.destroy();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
            }
        }
    }

    private static Launcher launch(Map<String, String> env, Path log) throws IOException {
        var builder = new ProcessBuilder("bash", "switchboard", "up").directory(root().toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return new Launcher(builder.start(), log, System.nanoTime());
    }

    @Test
    void embeddedStoresComeUpAndKeepEverythingAcrossARestart() throws Exception {
        Path state = Files.createTempDirectory("switchboard-up-");
        Map<String, String> env = new HashMap<>();
        env.put("SWITCHBOARD_STATE_DIR", state.toString());
        env.put("SWITCHBOARD_DB_URL", "jdbc:postgresql://127.0.0.1:" + FreePort.pick() + "/");
        env.put("SWITCHBOARD_REDIS_URL", "redis://127.0.0.1:" + FreePort.pick());
        env.put("SWITCHBOARD_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + FreePort.pick());
        int chat = FreePort.pick();
        int ai = FreePort.pick();
        env.put("SWITCHBOARD_CHAT_PORT", Integer.toString(chat));
        env.put("SWITCHBOARD_WORKFLOW_PORT", Integer.toString(FreePort.pick()));
        env.put("SWITCHBOARD_AI_PORT", Integer.toString(ai));
        env.put("SWITCHBOARD_NOTIFIER_PORT", Integer.toString(FreePort.pick()));
        String chatUrl = "http://127.0.0.1:" + chat;
        String aiUrl = "http://127.0.0.1:" + ai;

        Launcher first = launch(env, state.resolveSibling(state.getFileName() + "-first.log"));
        String conversation;
        try {
            long seconds = first.awaitUp();
            System.out.printf("[launcher] up with embedded PostgreSQL and Redis in %d s (first start: binaries unpacked, clusters made)%n", seconds);
            // "up" means ready to answer: the first question is answered without waiting for groups or the knowledge base
            String agentToken = Files.readString(state.resolve("keys/agent-token")).strip();
            JsonNode asking = API.post(chatUrl + "/api/conversations", null, Map.of("contact", Map.of("first_name", "Quinn"))).ok();
            long asked = System.nanoTime();
            API.post(chatUrl + "/api/conversations/" + asking.path("id").asText() + "/messages", asking.path("customer_token").asText(),
                    Map.of("content", "How do I reset my password?")).ok();
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> API.get(chatUrl
                    + "/api/conversations/" + asking.path("id").asText() + "/messages", agentToken).ok().path("items").findValuesAsText("sender_type")
                    .contains("ai"));
            System.out.printf("[launcher] first answer stored %d ms after the customer's message, sent as \"up\" was printed%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked));
            // each service signs in to PostgreSQL as the role that owns its database, never as the superuser
            try (var connection = java.sql.DriverManager.getConnection(env.get("SWITCHBOARD_DB_URL") + "postgres", "postgres",
                    Files.readString(state.resolve("keys/postgres-password")).strip());
                    var rows = connection.createStatement().executeQuery(
                            "SELECT DISTINCT datname, usename FROM pg_stat_activity WHERE datname LIKE 'switchboard_%' ORDER BY datname")) {
                Map<String, String> users = new HashMap<>();
                while (rows.next()) {
                    assertEquals(null, users.put(rows.getString(1), rows.getString(2)), "one role per database");
                }
                assertEquals(Map.of("switchboard_chat", "switchboard_chat", "switchboard_workflow", "switchboard_workflow",
                        "switchboard_ai", "switchboard_ai"), users);
            }
            String output = first.output();
            assertTrue(output.contains("PostgreSQL: embedded 18.") && output.contains("Redis: embedded"), output);
            String password = Files.readString(state.resolve("keys/postgres-password")).strip();
            assertTrue(!output.contains(password) && !output.contains(Files.readString(state.resolve("keys/redis-password")).strip()),
                    "no password on the progress lines");
            // a clean start logs no error (the outbox relay used to poll before its Kafka channel was connected)
            try (var logs = Files.list(state.resolve("logs"))) {
                for (Path log : logs.filter(p -> p.toString().endsWith("-service.log")).toList()) {
                    List<String> errors = Files.readAllLines(log).stream().filter(line -> line.contains(" ERROR ")).toList();
                    assertEquals(List.of(), errors, log.getFileName() + " on a clean start");
                }
            }

            // a second launcher on the same folder says so instead of fighting for the ports
            Path secondLog = state.resolveSibling(state.getFileName() + "-second.log");
            Launcher second = launch(env, secondLog);
            assertTrue(second.process().waitFor(60, TimeUnit.SECONDS));
            assertNotEquals(0, second.process().exitValue());
            assertTrue(second.output().contains("already running"), second.output());

            JsonNode started = API.post(chatUrl + "/api/conversations", null, Map.of("contact", Map.of("first_name", "Uma"))).ok();
            conversation = started.path("id").asText();
            API.post(chatUrl + "/api/conversations/" + conversation + "/messages", started.path("customer_token").asText(),
                    Map.of("content", "I want a human agent")).ok();
            String token = Files.readString(state.resolve("keys/agent-token")).strip();
            String id = conversation;
            Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertEquals(false, API.get(aiUrl + "/api/conversations/" + id + "/ai", token).ok().path("ai_enabled").asBoolean(true));
                assertEquals(2, API.get(chatUrl + "/api/conversations/" + id + "/messages", token).ok().path("total").asInt());
            });
        } finally {
            first.stop();
        }
        assertTrue(first.output().contains("stopped"), first.output());

        Launcher again = launch(env, state.resolveSibling(state.getFileName() + "-again.log"));
        try {
            System.out.printf("[launcher] up again in %d s%n", again.awaitUp());
            String token = Files.readString(state.resolve("keys/agent-token")).strip();
            JsonNode messages = API.get(chatUrl + "/api/conversations/" + conversation + "/messages", token).ok();
            List<String> senders = new java.util.ArrayList<>();
            messages.path("items").forEach(m -> senders.add(m.path("sender_type").asText()));
            assertEquals(List.of("customer", "workflow"), senders, "the conversation outlived the restart");
            assertEquals(false, API.get(aiUrl + "/api/conversations/" + conversation + "/ai", token).ok().path("ai_enabled").asBoolean(true),
                    "and so did the switched-off AI");
        } finally {
            again.stop();
        }
    }
}
