package io.switchboard.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * A real Apache Kafka broker in KRaft mode (combined broker and controller), run in a JVM of its own from the
 * jars on Maven Central. Tests start one per test JVM; {@code ./switchboard up} runs {@link #main} with its data in
 * {@code .switchboard/kafka}. The storage is formatted on first start and kept, so a restart keeps the topics.
 */
public final class LocalKafka implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final String STARTED_LINE = "Kafka Server started";
    private static final String SCRAM = "SCRAM-SHA-512";
    public static final String ADMIN = "admin";

    private final Process process;
    private final int port;
    private final Path logFile;

    private LocalKafka(Process process, int port, Path logFile) {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public Path logFile() {
        return logFile;
    }

    public long pid() {
        return process.pid();
    }

    /**
     * Starts a broker with its data in {@code dir} on {@code port} (0: a free one) and waits until it serves; its JVM
     * compiles hot code fully (C1, then C2), as a broker that serves for a while should: in the benchmark that took a
     * third off its CPU per record against C1 alone.
     */
    public static LocalKafka start(Path dir, int port, int partitions) throws IOException, InterruptedException {
        return start(dir, port, partitions, null, false);
    }

    /**
     * As {@link #start}, for a test JVM's brief broker: C1 alone, which starts quicker and spends less CPU compiling
     * code that will not run long enough to repay C2.
     */
    public static LocalKafka startBrief(Path dir, int port, int partitions) throws IOException, InterruptedException {
        return start(dir, port, partitions, null, true);
    }

    /**
     * As a secured cluster runs: clients sign in with SCRAM-SHA-512 and may do only what ACLs allow (KRaft's
     * StandardAuthorizer, nothing allowed without an ACL). {@code admin} with {@code adminPassword} is the super user
     * that creates the other users, their ACLs and the topics (none are created on first use).
     */
    public static LocalKafka startSecured(Path dir, int port, int partitions, String adminPassword) throws IOException, InterruptedException {
        return start(dir, port, partitions, adminPassword, false);
    }

    /** How a client of {@link #startSecured} signs in: the Kafka client settings for a SCRAM-SHA-512 user. */
    public static java.util.Map<String, String> scramClient(String user, String password) {
        return java.util.Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", SCRAM,
                "sasl.jaas.config", scramLogin(user, password));
    }

    public static String scramLogin(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\"" + password + "\";";
    }

    private static LocalKafka start(Path dir, int port, int partitions, String adminPassword, boolean brief)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        int brokerPort = port == 0 ? FreePort.pick() : port;
        int controllerPort = FreePort.pick();
        Path properties = dir.resolve("server.properties");
        String config = serverProperties(dir.resolve("data"), brokerPort, controllerPort, partitions);
        if (adminPassword != null) {
            config = secured(config, brokerPort, adminPassword);
        }
        Files.writeString(properties, config);
        Path logFile = dir.resolve("broker.log");

        if (!Files.exists(dir.resolve("data").resolve("meta.properties"))) {
            List<String> format = new ArrayList<>(List.of("format", "-t", clusterId(), "-c", properties.toString()));
            if (adminPassword != null) {
                format.addAll(List.of("--add-scram", SCRAM + "=[name=" + ADMIN + ",password=" + adminPassword + "]"));
            }
            Process formatting = java("kafka.tools.StorageTool", true, format.toArray(String[]::new))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("format.log").toFile()).start();
            if (formatting.waitFor() != 0) {
                throw new IllegalStateException("formatting the Kafka storage failed, see " + dir.resolve("format.log"));
            }
        }
        Process process = java("kafka.Kafka", brief, properties.toString())
                .redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
        var broker = new LocalKafka(process, brokerPort, logFile);
        broker.awaitStarted();
        return broker;
    }

    private void awaitStarted() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the Kafka broker exited with " + process.exitValue() + ": " + tail());
            }
            if (Files.readString(logFile, StandardCharsets.UTF_8).contains(STARTED_LINE) && accepts(port)) {
                return;
            }
            Thread.sleep(100);
        }
        close();
        throw new IllegalStateException("the Kafka broker did not start within " + START_TIMEOUT + ": " + tail());
    }

    private String tail() throws IOException {
        List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    /** Kills the broker at once (SIGKILL), as a crash would; for fault tests. Start it again on the same folder and port. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** Stops the broker and waits for its process to end (SIGTERM: a clean shutdown keeps the log consistent). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(Duration.ofSeconds(30).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String serverProperties(Path data, int brokerPort, int controllerPort, int partitions) {
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + brokerPort,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + data,
                "num.partitions=" + partitions,
                "auto.create.topics.enable=true",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=4",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                // a consumer that died (not one that left: that is at once) gives its partitions up after 15 s, not 45:
                // one machine, no network to wait out
                "group.consumer.min.session.timeout.ms=10000",
                "group.consumer.session.timeout.ms=15000",
                // the log cleaner's key map (24 bytes a key) is allocated on the heap once compaction first runs: Kafka's
                // 128 MiB was a quarter of this broker's heap, and 16 MiB still holds ~600,000 keys per cleaning pass
                // (benchmarks/results/soak-2026-11-29T07-39-19-broker-heap.md)
                "log.cleaner.dedupe.buffer.size=16777216",
                "") ;
    }

    /** The plain listener becomes a SCRAM one, brokers talk to each other as the admin, and ACLs decide. */
    private static String secured(String config, int brokerPort, String adminPassword) {
        String plain = "PLAINTEXT://127.0.0.1:" + brokerPort;
        String sasl = "SASL_PLAINTEXT://127.0.0.1:" + brokerPort;
        return config.replace(plain, sasl)
                .replace("inter.broker.listener.name=PLAINTEXT", "inter.broker.listener.name=SASL_PLAINTEXT")
                .replace("listener.security.protocol.map=PLAINTEXT:PLAINTEXT,", "listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,")
                .replace("auto.create.topics.enable=true", "auto.create.topics.enable=false")
                + String.join("\n",
                        "sasl.enabled.mechanisms=" + SCRAM,
                        "sasl.mechanism.inter.broker.protocol=" + SCRAM,
                        "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=" + scramLogin(ADMIN, adminPassword),
                        "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                        "allow.everyone.if.no.acl.found=false",
                        // the controller listener (loopback, never advertised) is plain: its principal is ANONYMOUS
                        "super.users=User:" + ADMIN + ";User:ANONYMOUS",
                        "");
    }

    private static ProcessBuilder java(String mainClass, boolean brief, String... args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        // the metadata threshold above what the broker loads: the serial collector otherwise runs full collections to raise it
        command.addAll(List.of("-Xms128m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:MetaspaceSize=256m"));
        if (brief) {
            command.add("-XX:TieredStopAtLevel=1");
        }
        command.addAll(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=info", "-cp", brokerClasspath(), mainClass));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    private static String brokerClasspath() {
        try (InputStream in = LocalKafka.class.getResourceAsStream("/kafka-broker.classpath")) {
            if (in == null) {
                throw new IllegalStateException("kafka-broker.classpath is missing: build the kafka-broker module first");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A random cluster id as Kafka writes them (URL-safe base64 of a UUID). One in 64 would start with '-', which the
     * storage tool's argument parser takes for an option; like Kafka's own generator, draw again.
     */
    private static String clusterId() {
        while (true) {
            UUID uuid = UUID.randomUUID();
            ByteBuffer bytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
            String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
            if (!id.startsWith("-")) {
                return id;
            }
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code LocalKafka DIR PORT}: runs a broker until this process is stopped (Ctrl-C or SIGTERM). */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : ".switchboard/kafka").toAbsolutePath();
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 9092;
        int partitions = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        LocalKafka broker = start(dir, port, partitions);
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
        System.out.println("Kafka broker ready on " + broker.bootstrapServers() + " (log: " + broker.logFile() + ")");
        broker.process.waitFor();
    }
}
