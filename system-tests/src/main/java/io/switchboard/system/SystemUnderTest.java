package io.switchboard.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

import io.switchboard.kafka.FreePort;
import io.switchboard.kafka.LocalKafka;
import io.switchboard.testing.ChannelStub;
import io.switchboard.testing.OpenAiStub;
import io.switchboard.testing.OtlpStub;

/**
 * The whole system on this machine, as it runs in production: a Kafka broker (KRaft) and the four packaged services,
 * each its own JVM ({@code java -jar target/quarkus-app/quarkus-run.jar}), against the local PostgreSQL (fresh
 * databases per run, dropped at the end) and Redis, with local stubs for the model (OpenAI wire format) and for the
 * Telegram Bot API. Ports are free ones, so a running {@code ./switchboard up} is never disturbed. Logs go to
 * {@code system-tests/target/system-logs}.
 */
public final class SystemUnderTest implements AutoCloseable {
    public static final String AGENT_TOKEN = "system-agent-token";
    public static final String TELEGRAM_BOT_TOKEN = "654321:system-bot";
    public static final String TELEGRAM_SECRET = "system-telegram-secret";
    // a key pair made for this run only: the services run in their production profile, which refuses the
    // repository's development keys
    private static final java.security.KeyPair KEYS = ed25519();
    private static final String PRIVATE_KEY = java.util.Base64.getEncoder().encodeToString(KEYS.getPrivate().getEncoded());
    public static final String PUBLIC_KEY = java.util.Base64.getEncoder().encodeToString(KEYS.getPublic().getEncoded());
    /** Signs tokens as this run's chat-service does. */
    public static final io.switchboard.common.security.Tokens TOKENS = io.switchboard.common.security.Tokens.signer(PRIVATE_KEY, PUBLIC_KEY);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** How long a stopped service may take to end (its consumers leave, its batches finish) before it is killed. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private static java.security.KeyPair ed25519() {
        try {
            return java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One service process. */
    public record Service(String name, int port, Process process) {
        public String url() {
            return "http://127.0.0.1:" + port;
        }

        public long rssKiB() {
            return SystemUnderTest.rssKiB(process.pid());
        }

        /** Stops the process where it stands (SIGSTOP), as a long collection or a starved node would; {@link #resume} lets it go on. */
        public void suspend() throws Exception {
            signal("STOP");
        }

        public void resume() throws Exception {
            signal("CONT");
        }

        private void signal(String signal) throws Exception {
            int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start().waitFor();
            if (exit != 0) {
                throw new IllegalStateException("kill -" + signal + " " + name + " (pid " + process.pid() + ") exited with " + exit);
            }
        }
    }

    /** Resident memory of a process (VmRSS), -1 when it is gone (or not on Linux). */
    public static long rssKiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException e) {
            // not Linux, or gone
        }
        return -1;
    }

    private final Path root;
    private final Path logs;
    private final String runId = "sys" + UUID.randomUUID().toString().substring(0, 8);
    private LocalKafka kafka;
    private final Path kafkaDir;
    // synchronized: replicas may be started and stopped side by side
    private final Map<String, ProcessBuilder> launchers = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    private final OpenAiStub model;
    private final OtlpStub collector;
    private final ChannelStub telegram;
    private final Map<String, Service> services = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    private final List<String> databases = new ArrayList<>();
    private final Map<String, String> common = new HashMap<>();
    private final Map<String, String> chatEnv = new HashMap<>();
    /** What each module was first started with: its replicas get the same. */
    private final Map<String, Map<String, String>> moduleEnv = java.util.Collections.synchronizedMap(new HashMap<>());
    private final Map<String, String> portVariables = java.util.Collections.synchronizedMap(new HashMap<>());
    /** A port kept for a site that embeds the chat (embed.js): the only origin besides chat-service's own allowed to frame it. */
    private final int embeddingSitePort;

    private static SystemUnderTest shared;
    private boolean closed;

    /**
     * A broker that wants SCRAM sign-in and decides by ACLs: {@code prepare} gets its address and sets up topics,
     * users and ACLs as its admin; each service gets the settings named by its module (its credentials).
     */
    public record KafkaSecurity(String adminPassword, java.util.function.Consumer<String> prepare,
            Map<String, Map<String, String>> settingsByService) {
    }

    private final KafkaSecurity security;
    /** The services' AOT caches, recorded or used; null: none. */
    private final AotCache aot;

    private SystemUnderTest(Path root, int notifiers, boolean seedWorkflows, Map<String, String> settings) throws Exception {
        this(root, notifiers, seedWorkflows, settings, null, null);
    }

    private SystemUnderTest(Path root, int notifiers, boolean seedWorkflows, Map<String, String> settings, KafkaSecurity security,
            AotCache aot) throws Exception {
        this.security = security;
        this.aot = aot;
        this.root = root;
        this.logs = root.resolve("system-tests/target/system-logs");
        Files.createDirectories(logs);
        log("starting Kafka");
        kafkaDir = Files.createTempDirectory("switchboard-system-kafka-");
        embeddingSitePort = FreePort.pick();
        kafka = security == null ? LocalKafka.start(kafkaDir, 0, 4) : LocalKafka.startSecured(kafkaDir, 0, 4, security.adminPassword());
        model = OpenAiStub.start();
        collector = OtlpStub.start();
        telegram = ChannelStub.telegram(TELEGRAM_BOT_TOKEN);
        common.put("SWITCHBOARD_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        common.put("SWITCHBOARD_AGENT_TOKEN", AGENT_TOKEN);
        common.put("SWITCHBOARD_TOKEN_PRIVATE_KEY", PRIVATE_KEY);
        common.put("SWITCHBOARD_TOKEN_PUBLIC_KEY", PUBLIC_KEY);
        common.put("SWITCHBOARD_REDIS_URL", "redis://127.0.0.1:6379");
        // every test is its own client: the tests name their address in X-Forwarded-For from this trusted proxy
        common.put("SWITCHBOARD_TRUSTED_PROXIES", "127.0.0.1");
        common.put("SWITCHBOARD_RATE_CONVERSATIONS_PER_MINUTE", "100000");
        // tracing on, as an operator switches it on: the standard OpenTelemetry settings, spans to a local collector
        common.put("OTEL_SDK_DISABLED", "false");
        common.put("OTEL_EXPORTER_OTLP_ENDPOINT", collector.endpoint());
        common.put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
        common.putAll(settings);
        try {
            if (security != null) {
                security.prepare().accept(kafka.bootstrapServers());
            }
            // ports first: the pages served by chat-service must know where the other services are
            Map<String, Integer> ports = new LinkedHashMap<>();
            for (String name : serviceNames(notifiers)) {
                ports.put(name, FreePort.pick());
            }
            String pagesOrigin = "http://127.0.0.1:" + ports.get("chat-service");
            chatEnv.put("SWITCHBOARD_WIDGET_EMBED_ORIGINS", embeddingSite());
            common.put("SWITCHBOARD_CORS_ORIGINS", pagesOrigin);
            chatEnv.putAll(Map.of(
                    "SWITCHBOARD_CHAT_DB_URL", database("chat"),
                    "SWITCHBOARD_IDENTITY_SECRET", io.switchboard.testing.TestKeys.IDENTITY_SECRET,
                    "SWITCHBOARD_TELEGRAM_BOT_TOKEN", TELEGRAM_BOT_TOKEN,
                    "SWITCHBOARD_TELEGRAM_WEBHOOK_SECRET", TELEGRAM_SECRET,
                    "SWITCHBOARD_TELEGRAM_API_BASE_URL", telegram.baseUrl(),
                    "SWITCHBOARD_DELIVERY_INITIAL_BACKOFF", "200ms",
                    "SWITCHBOARD_PAGES_WORKFLOW_URL", "http://127.0.0.1:" + ports.get("workflow-service"),
                    "SWITCHBOARD_PAGES_AI_URL", "http://127.0.0.1:" + ports.get("ai-service"),
                    "SWITCHBOARD_PAGES_NOTIFIER_URL", "ws://127.0.0.1:" + ports.get(notifierName(1))));
            start("chat-service", "SWITCHBOARD_CHAT_PORT", ports, chatEnv);
            start("workflow-service", "SWITCHBOARD_WORKFLOW_PORT", ports, Map.of(
                    "SWITCHBOARD_WORKFLOW_DB_URL", database("workflow"),
                    "SWITCHBOARD_WORKFLOW_SEED", Boolean.toString(seedWorkflows)));
            start("ai-service", "SWITCHBOARD_AI_PORT", ports, Map.of(
                    "SWITCHBOARD_AI_DB_URL", database("ai"),
                    "SWITCHBOARD_AI_PROVIDER", settings.getOrDefault("SWITCHBOARD_AI_PROVIDER", "openai"),
                    "SWITCHBOARD_AI_OPENAI_BASE_URL", model.baseUrl(),
                    "SWITCHBOARD_AI_OPENAI_API_KEY", "system-test-key"));
            for (int i = 1; i <= notifiers; i++) {
                start(notifierName(i), "SWITCHBOARD_NOTIFIER_PORT", ports, Map.of());
            }
            for (Service service : services.values()) {
                awaitReady(service);
            }
            log("all services ready");
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    /** The system with the seed's workflows and one notifier, against a secured broker (see {@link KafkaSecurity}). */
    public static SystemUnderTest startSecured(String adminPassword, java.util.function.Consumer<String> prepare,
            Map<String, Map<String, String>> settingsByService) throws Exception {
        return new SystemUnderTest(findRoot(), 1, true, Map.of(), new KafkaSecurity(adminPassword, prepare, settingsByService), null);
    }

    /** Starts the system with {@code notifiers} notifier-service replicas and no workflows. */
    public static SystemUnderTest start(int notifiers) throws Exception {
        return new SystemUnderTest(findRoot(), notifiers, false, Map.of());
    }

    /** As {@link #start(int)}, with settings of its own for every service (the benchmark lifts the flood limit). */
    public static SystemUnderTest start(int notifiers, Map<String, String> settings) throws Exception {
        return new SystemUnderTest(findRoot(), notifiers, false, settings);
    }

    /** As {@link #start(int, Map)}, the services recording or using their AOT caches ({@code aot} null: none). */
    public static SystemUnderTest start(int notifiers, Map<String, String> settings, AotCache aot) throws Exception {
        return new SystemUnderTest(findRoot(), notifiers, false, settings, null, aot);
    }

    /**
     * The system the test classes of this JVM share, as a newcomer's first run has it: two notifier replicas, the
     * seed's three workflows loaded by workflow-service on its first start. Stopped when the JVM exits.
     */
    public static synchronized SystemUnderTest shared() throws Exception {
        if (shared == null) {
            shared = new SystemUnderTest(findRoot(), 2, true, Map.of());
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    private static Path findRoot() {
        Path path = Path.of(System.getProperty("switchboard.root", System.getProperty("user.dir"))).toAbsolutePath();
        return Files.exists(path.resolve("chat-service")) ? path : path.getParent();
    }

    /** The names of the services a system with this many notifier replicas runs, before it starts. */
    static java.util.Set<String> serviceNames(int notifiers) {
        var names = new java.util.LinkedHashSet<>(List.of("chat-service", "workflow-service", "ai-service"));
        for (int i = 1; i <= notifiers; i++) {
            names.add(notifierName(i));
        }
        return names;
    }

    private static String notifierName(int replica) {
        return replica == 1 ? "notifier-service" : "notifier-service-" + replica;
    }

    private static void log(String line) {
        System.out.printf("[system %tT] %s%n", Instant.now().atZone(java.time.ZoneId.systemDefault()), line);
    }

    private String database(String name) throws SQLException {
        String db = databasePrefix() + name;
        try (var connection = postgres();
                var statement = connection.createStatement()) {
            statement.execute("create database " + db);
        }
        databases.add(db);
        return "jdbc:postgresql://127.0.0.1:5432/" + db;
    }

    /** The variable that picks the services' garbage collector; the benchmark names it in its report. */
    static final String COLLECTOR_VARIABLE = "SWITCHBOARD_SERVICE_GC";
    private static final Map<String, String> COLLECTORS = Map.of("serial", "-XX:+UseSerialGC", "zgc", "-XX:+UseZGC",
            "g1", "-XX:+UseG1GC", "parallel", "-XX:+UseParallelGC");

    /**
     * The services' collector flag: the serial collector, which the JVM picks itself in the manifests' containers
     * (under 1,792 MB), unless {@value #COLLECTOR_VARIABLE} names another to compare (docs/performance.md,
     * "The collector").
     */
    static String collector(Map<String, String> env) {
        String name = env.getOrDefault(COLLECTOR_VARIABLE, "serial").strip().toLowerCase(Locale.ROOT);
        String flag = COLLECTORS.get(name);
        if (flag == null) {
            throw new IllegalArgumentException(COLLECTOR_VARIABLE + " must be one of " + new TreeSet<>(COLLECTORS.keySet())
                    + ", got " + env.get(COLLECTOR_VARIABLE));
        }
        return flag;
    }

    private void start(String name, String portVariable, Map<String, Integer> ports, Map<String, String> env) throws IOException {
        String module = name.replaceFirst("-\\d+$", "");
        moduleEnv.putIfAbsent(module, env);
        portVariables.putIfAbsent(module, portVariable);
        Path jar = root.resolve(module + "/target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build first (./mvnw install -DskipTests)");
        }
        int port = ports.get(name);
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-Xmx384m", collector(System.getenv()),
                // a service loads 60 to 115 MB of class metadata; below that threshold the serial collector stops it
                // for a full collection (100 to 400 ms here) each time the metadata passes the threshold it has so far
                "-XX:MetaspaceSize=256m"));
        if (aot != null) {
            command.addAll(aot.jvmOptions(name, module));
        }
        command.addAll(List.of("-jar", jar.toString()));
        var builder = new ProcessBuilder(command);
        builder.environment().putAll(common);
        builder.environment().putAll(env);
        if (security != null) {
            builder.environment().putAll(security.settingsByService().getOrDefault(module, Map.of()));
        }
        builder.environment().put(portVariable, Integer.toString(port));
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(name + ".log").toFile()));
        log("starting " + name + " on port " + port);
        launchers.put(name, builder);
        services.put(name, new Service(name, port, builder.start()));
    }

    private void awaitReady(Service service) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(120);
        while (Instant.now().isBefore(deadline)) {
            if (!service.process().isAlive()) {
                throw new IllegalStateException(service.name() + " exited with " + service.process().exitValue() + "; see "
                        + logs.resolve(service.name() + ".log"));
            }
            try {
                var response = HTTP.send(HttpRequest.newBuilder(URI.create(service.url() + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(service.name() + " not ready after 120 s; see " + logs.resolve(service.name() + ".log"));
    }

    /** Another chat-service replica beside the first (same database, Kafka and Redis), with settings of its own. */
    public Service startChatReplica(String name, Map<String, String> settings) throws Exception {
        return startReplica("chat-service", name, settings);
    }

    /** Another replica of {@code module} beside the first (same databases, Kafka and Redis), once it is ready. */
    public Service startReplica(String module, String name, Map<String, String> settings) throws Exception {
        Map<String, String> env = new HashMap<>(moduleEnv.get(module));
        env.putAll(settings);
        start(name, portVariables.get(module), Map.of(name, FreePort.pick()), env);
        awaitReady(services.get(name));
        return services.get(name);
    }

    /**
     * Stops a service as an orchestrator does (SIGTERM): its consumers leave their groups at once, so the others take
     * its partitions over without waiting for the session timeout a killed one would cost.
     */
    public void stop(String name) throws InterruptedException {
        log("stopping " + name);
        Process process = services.get(name).process();
        process.destroy();
        if (!process.waitFor(AotCache.stopTimeout(aot).toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** Kills a service at once (SIGKILL), as a crash or an OOM kill would. */
    public void kill(String name) throws InterruptedException {
        log("killing " + name);
        services.get(name).process().destroyForcibly().waitFor();
    }

    /** Starts a killed service again, same port and settings, and waits until it is ready. */
    public void restart(String name) throws Exception {
        log("restarting " + name);
        Service restarted = new Service(name, services.get(name).port(), launchers.get(name).start());
        services.put(name, restarted);
        awaitReady(restarted);
    }

    /** Kills the Kafka broker (SIGKILL). */
    public void killKafka() throws InterruptedException {
        log("killing the Kafka broker");
        kafka.kill();
    }

    /** Starts the broker again on its folder and port (the services reconnect by themselves). */
    public void restartKafka() throws Exception {
        log("restarting the Kafka broker");
        int port = Integer.parseInt(kafka.bootstrapServers().substring(kafka.bootstrapServers().lastIndexOf(':') + 1));
        kafka = security == null ? LocalKafka.start(kafkaDir, port, 4) : LocalKafka.startSecured(kafkaDir, port, 4, security.adminPassword());
    }

    public Service service(String name) {
        return services.get(name);
    }

    public Map<String, Service> services() {
        return services;
    }

    /** A connection to the local server's {@code postgres} database, as its superuser: for creating, dropping and reading stats. */
    static java.sql.Connection postgres() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
    }

    /** The start of the names of this run's databases. */
    public String databasePrefix() {
        return "switchboard_" + runId + "_";
    }

    /** The JDBC URL of a service's database in this run ({@code chat}, {@code workflow}, {@code ai}); user postgres. */
    public String databaseUrl(String service) {
        return "jdbc:postgresql://127.0.0.1:5432/" + databasePrefix() + service;
    }

    public String chatUrl() {
        return service("chat-service").url();
    }

    /** The origin of the site that may embed the chat in tests (serve a page there to try embed.js). */
    public String embeddingSite() {
        return "http://127.0.0.1:" + embeddingSitePort;
    }

    public int embeddingSitePort() {
        return embeddingSitePort;
    }

    public String workflowUrl() {
        return service("workflow-service").url();
    }

    public String aiUrl() {
        return service("ai-service").url();
    }

    /** The WebSocket base of one notifier replica (1-based). */
    public String notifierWs(int replica) {
        return "ws://127.0.0.1:" + service(notifierName(replica)).port();
    }

    public OpenAiStub model() {
        return model;
    }

    public OtlpStub collector() {
        return collector;
    }

    public ChannelStub telegram() {
        return telegram;
    }

    /** The broker's process id, to measure what it costs. */
    public long kafkaPid() {
        return kafka.pid();
    }

    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    public Path root() {
        return root;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Service service : services.values()) {
            service.process().destroy();
        }
        for (Service service : services.values()) {
            try {
                if (!service.process().waitFor(AotCache.stopTimeout(aot).toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
                    service.process().destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (telegram != null) {
            telegram.close();
        }
        if (model != null) {
            model.close();
        }
        if (collector != null) {
            collector.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        try (var connection = postgres();
                var statement = connection.createStatement()) {
            for (String db : databases) {
                statement.execute("drop database if exists " + db + " with (force)");
            }
        } catch (SQLException e) {
            throw new UncheckedIOException(new IOException("could not drop the run's databases", e));
        }
    }
}
