package io.switchboard.stores;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import redis.embedded.RedisServer;

/**
 * PostgreSQL and Redis for a machine that has only a JDK, as {@code ./switchboard up} starts them:
 * <pre>
 *   LocalStores run STATE_DIR [--postgres PORT] [--redis PORT]     start them, print "stores ready", run until terminated
 *   LocalStores databases JDBC_BASE_URL USER KEYS_DIR             make Switchboard's databases and roles where missing
 * </pre>
 * Both listen on 127.0.0.1 only and want a password, made on first use into {@code STATE_DIR/keys} (never printed);
 * their data stays in {@code STATE_DIR/postgres} and {@code STATE_DIR/redis}, so a restart keeps everything.
 */
public final class LocalStores {
    public static final List<String> DATABASES = List.of("switchboard_chat", "switchboard_workflow", "switchboard_ai");
    private static final String USER = "postgres";

    private LocalStores() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 2 && args[0].equals("run")) {
            run(Path.of(args[1]), option(args, "--postgres"), option(args, "--redis"));
        } else if (args.length == 4 && args[0].equals("databases")) {
            String password = System.getenv().getOrDefault("SWITCHBOARD_DB_PASSWORD", "");
            createDatabases(args[1], args[2], password, Files.createDirectories(Path.of(args[3])));
        } else {
            System.err.println("usage: LocalStores run STATE_DIR [--postgres PORT] [--redis PORT] | LocalStores databases JDBC_BASE_URL USER KEYS_DIR");
            System.exit(2);
        }
    }

    private static int option(String[] args, String name) {
        for (int i = 2; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return 0;
    }

    private static void run(Path state, int postgresPort, int redisPort) throws Exception {
        Path keys = Files.createDirectories(state.resolve("keys"));
        EmbeddedPostgres postgres = postgresPort > 0 ? startPostgres(state, postgresPort, secret(keys.resolve("postgres-password"))) : null;
        RedisServer redis = redisPort > 0 ? startRedis(state, redisPort, secret(keys.resolve("redis-password"))) : null;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                if (redis != null) {
                    redis.stop();
                }
                if (postgres != null) {
                    postgres.close();
                }
            } catch (IOException e) {
                System.err.println("stopping the stores: " + e.getMessage());
            }
        }, "stop-stores"));
        System.out.println("stores ready");
        System.out.flush();
        Thread.currentThread().join();
    }

    private static EmbeddedPostgres startPostgres(Path state, int port, String password) throws IOException, SQLException {
        Path data = state.resolve("postgres");
        // a data directory secured by an earlier run wants the password from the start; a new one is secured below
        Path secured = state.resolve("keys/postgres-secured");
        boolean wasSecured = Files.exists(secured);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(Files.createDirectories(state.resolve("postgres-binaries")).toFile())
                .setPort(port)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setConnectConfig("password", password)
                .setDataDirectoryCustomizer(dir -> writeHostRules(dir.toPath(), wasSecured))
                .setPGStartupWait(Duration.ofSeconds(60))
                .setRegisterShutdownHook(false)
                .start();
        try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
            if (!wasSecured) {
                try (var statement = connection.createStatement()) {
                    statement.execute("ALTER ROLE " + USER + " PASSWORD '" + password + "'");
                }
                writeHostRules(data, true);
                try (var statement = connection.createStatement()) {
                    statement.execute("SELECT pg_reload_conf()");
                }
                Files.writeString(secured, "");
            }
            createDatabases("jdbc:postgresql://127.0.0.1:" + port + "/", USER, password, state.resolve("keys"));
            String version;
            try (var statement = connection.createStatement(); var result = statement.executeQuery("SHOW server_version")) {
                result.next();
                version = result.getString(1);
            }
            System.out.printf("PostgreSQL: embedded %s on 127.0.0.1:%d, data in %s%n", version, port, data.toAbsolutePath());
        }
        return postgres;
    }

    /** Connections from this machine only, each with the password (trust only until a new cluster has one). */
    private static void writeHostRules(Path data, boolean passwordSet) {
        String method = passwordSet ? "scram-sha-256" : "trust";
        String rules = "# written by ./switchboard up\n"
                + "local all all " + method + "\n"
                + "host all all 127.0.0.1/32 " + method + "\n"
                + "host all all ::1/128 " + method + "\n";
        try {
            Files.writeString(data.resolve("pg_hba.conf"), rules);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Each service's database, owned by a role of its own ({@code switchboard_chat} ...) whose password is made into
     * {@code KEYS_DIR/db-<role>-password}: a service can change its own schema and nothing else, and no other role may
     * connect. Databases made before the roles existed are handed over with everything in them.
     */
    private static void createDatabases(String baseUrl, String user, String password, Path keys) throws SQLException, IOException {
        try (Connection connection = DriverManager.getConnection(baseUrl + "postgres", user, password)) {
            for (String database : DATABASES) {
                String rolePassword = secret(keys.resolve("db-" + database + "-password"));
                boolean roleExists = exists(connection, "SELECT 1 FROM pg_roles WHERE rolname = ?", database);
                try (var statement = connection.createStatement()) {
                    // identifiers are our constants; the password is 32 hex characters we made
                    statement.execute((roleExists ? "ALTER ROLE " : "CREATE ROLE ") + database + " LOGIN PASSWORD '" + rolePassword + "'");
                    if (!exists(connection, "SELECT 1 FROM pg_database WHERE datname = ?", database)) {
                        statement.execute("CREATE DATABASE " + database + " OWNER " + database);
                        System.out.println("created database " + database + " owned by role " + database);
                    } else {
                        statement.execute("ALTER DATABASE " + database + " OWNER TO " + database);
                    }
                    statement.execute("REVOKE ALL ON DATABASE " + database + " FROM PUBLIC");
                }
                try (Connection db = DriverManager.getConnection(baseUrl + database, user, password); var statement = db.createStatement()) {
                    statement.execute("ALTER SCHEMA public OWNER TO " + database);
                    // tables first: a table takes its own sequences along, so each object is checked again when it comes
                    statement.execute("DO $$ DECLARE r record; BEGIN FOR r IN SELECT c.oid, c.relname FROM pg_class c"
                            + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')"
                            + " ORDER BY c.relkind = 'S' LOOP IF (SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = r.oid) <> '" + database + "'"
                            + " THEN EXECUTE format('ALTER TABLE public.%I OWNER TO " + database + "', r.relname); END IF; END LOOP; END $$");
                }
            }
        }
    }

    private static boolean exists(Connection connection, String query, String name) throws SQLException {
        try (var statement = connection.prepareStatement(query)) {
            statement.setString(1, name);
            return statement.executeQuery().next();
        }
    }

    private static RedisServer startRedis(Path state, int port, String password) throws IOException {
        Path data = Files.createDirectories(state.resolve("redis"));
        RedisServer redis = RedisServer.newRedisServer()
                .port(port)
                .bind("127.0.0.1")
                .setting("requirepass " + password)
                .setting("dir \"" + data.toAbsolutePath() + "\"")
                .setting("appendonly yes")
                .build();
        redis.start();
        System.out.printf("Redis: embedded on 127.0.0.1:%d, data in %s%n", port, data.toAbsolutePath());
        return redis;
    }

    /** The password in this file, made (32 hex characters, owner-only) when there is none. */
    private static String secret(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] bytes = new byte[16];
            new SecureRandom().nextBytes(bytes);
            Files.writeString(file, HexFormat.of().formatHex(bytes), StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the folder's own permissions protect it
            }
        }
        return Files.readString(file, StandardCharsets.UTF_8).strip();
    }
}
