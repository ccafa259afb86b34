package io.switchboard.system;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import io.switchboard.contracts.Json;

/**
 * End-to-end benchmark: starts the whole system ({@link SystemUnderTest}, a stub model with zero think time, so the
 * figures are the platform's own cost), opens one customer socket per conversation, and for each rate step sends
 * customer messages open-loop (on a fixed schedule, not waiting for answers) round-robin over the conversations. The
 * latency of a message is from just before its POST to the arrival of the AI's answer on that customer's socket.
 * Beside it, in the same run and on the same broker, a bare Kafka hop at the same rate ({@link KafkaFloor}): its
 * produce-to-consume latency and the CPU a record costs, the floor. Prints a table; writes JSON and Markdown when
 * {@code --out DIR} is given.
 *
 * <pre>./switchboard bench [--conversations 50] [--rates 50,200,1000] [--seconds 20] [--warmup 60 [--warmup-rate 20]] [--idle-sockets 0] [--tracing false]
 *     [--model stub|local] [--think-ms 0] [--workflows 10,1000 [--workflow-rate 40]] [--rebalance RATE] [--soak MINUTES [--soak-rate 25]] [--aot DIR]
 *     [--fan-out-rate 200] [--pause SERVICE:SECONDS] [--out DIR]</pre>
 */
public final class Benchmark {
    /** How long after a step the services may take to work off what it left before the Kafka floor is measured. */
    private static final Duration BACKLOG_WAIT = Duration.ofMinutes(2);
    record Step(int rate, long sent, long answered, double achievedPerSecond, Percentiles latency, Percentiles lastQuarter,
            KafkaFloor.Result kafkaFloor, Map<String, Percentiles> stages, Map<String, Double> cpuMsPerMessage,
            Map<String, Double> jitMsPerMessage, Map<String, Map<String, Double>> threadMsPerMessage, Embeddings embeddingsPerMessage,
            DatabaseMeter.Work databasePerMessage, Map<String, GcMeter.Pauses> gcPauses, Pause.CatchUp pause) {
    }

    /** ai-service's question embeddings: how many and their CPU, from its own metric (the CPU of the threads that ran them). */
    record Embeddings(double count, double cpuMs) {
        static Embeddings of(SystemUnderTest system) throws Exception {
            String metrics = Prometheus.scrape(system.service("ai-service"));
            return new Embeddings(Prometheus.sum(metrics, "switchboard_ai_embedding_cpu_seconds_count", Map.of()),
                    Prometheus.sum(metrics, "switchboard_ai_embedding_cpu_seconds_sum", Map.of()) * 1000);
        }

        Embeddings since(Embeddings before, long messages) {
            return new Embeddings((count - before.count) / messages, (cpuMs - before.cpuMs) / messages);
        }
    }

    record Percentiles(double p50, double p95, double p99, double max, int count) {
        static Percentiles of(List<Double> values) {
            if (values.isEmpty()) {
                return new Percentiles(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0);
            }
            double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return new Percentiles(at(sorted, 0.50), at(sorted, 0.95), at(sorted, 0.99), sorted[sorted.length - 1], sorted.length);
        }

        private static double at(double[] sorted, double q) {
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
        }
    }

    public static void main(String[] args) throws Exception {
        try {
            run(BenchmarkOptions.parse(args));
        } catch (BenchmarkOptions.Invalid e) {
            System.err.println("./switchboard bench: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void run(BenchmarkOptions options) throws Exception {
        if (options.has("search")) {
            String table = SearchBenchmark.run(options.number("search", 0, 1));
            System.out.println(table);
            if (options.has("out")) {
                SearchBenchmark.write(options.path("out"), table);
            }
            return;
        }
        try {
            SystemUnderTest.collector(System.getenv()); // a misspelt collector fails here, not after the broker started
        } catch (IllegalArgumentException e) {
            throw new BenchmarkOptions.Invalid(e.getMessage());
        }
        int conversations = options.number("conversations", 50, 1);
        int[] rates = options.numbers("rates", "50,200,1000", 1);
        int seconds = options.number("seconds", 20, 1);
        int idleSockets = options.number("idle-sockets", 0, 0);
        int warmup = options.number("warmup", 60, 0);
        // a message path is compiled by C2 after some thousands of messages: a longer or faster warm-up measures the
        // services as they run after a while in production, a short one includes their compilation (see the JIT table)
        int warmupRate = options.number("warmup-rate", 20, 1);
        int fanOutRate = options.number("fan-out-rate", 200, 1);
        int[] workflowCounts = options.has("workflows") ? options.numbers("workflows", null, 0) : null;
        int workflowRate = options.number("workflow-rate", 40, 1);
        int soakMinutes = options.number("soak", 0, 1);
        int soakRate = options.number("soak-rate", 25, 1);
        int rebalanceRate = options.number("rebalance", 0, 1);
        Path out = options.path("out");
        Pause pause = options.has("pause") ? Pause.parse(options.text("pause", null), seconds, SystemUnderTest.serviceNames(1)) : null;

        boolean tracing = options.flag("tracing", false);
        // the stub model (OpenAI's API, answering after --think-ms) or the local provider (the knowledge base alone)
        String model = options.text("model", "stub");
        long thinkMs = options.number("think-ms", 0, 0);
        if (!model.equals("stub") && !model.equals("local") || model.equals("local") && thinkMs != 0) {
            throw new BenchmarkOptions.Invalid("--model is stub or local (not " + model + "); --think-ms, 0 or more, only with the stub");
        }
        // --aot DIR: the first run records the services' AOT caches there, later runs start from them (JDK 25)
        AotCache aot = options.has("aot") ? AotCache.in(options.path("aot")) : null;
        String setupDescription = (model.equals("local") ? "the local provider (knowledge base, embedding per question)"
                : "stub model with " + (thinkMs == 0 ? "zero think time" : thinkMs + " ms of think time per answer"))
                + (aot == null ? "" : "; " + aot.describe());
        if (aot != null) {
            boolean steps = soakMinutes == 0 || options.has("rates");
            aot.checkRecordingLength(Duration.ofSeconds(warmup + (steps ? (long) rates.length * seconds : 0)
                    + 60L * soakMinutes));
            progress(aot.describe());
        }
        // the load sends many messages per conversation: lift the flood limit, it is not what is measured here; tracing
        // as the services ship (off) unless asked for
        try (SystemUnderTest system = SystemUnderTest.start(1, Map.of("SWITCHBOARD_RATE_LIMIT_MESSAGES", "1000000",
                "OTEL_SDK_DISABLED", Boolean.toString(!tracing), "SWITCHBOARD_AI_PROVIDER", model.equals("local") ? "local" : "openai"), aot);
                StageClock stages = new StageClock(system.kafkaBootstrapServers())) {
            system.model().delay(thinkMs);
            Api api = new Api();
            // readiness is honest when the first message after every service said "ready" is answered at once
            double firstAnswerMs = firstAnswerAfterReady(system, api);
            progress(String.format("first answer after every service reported ready: %.0f ms from the customer's POST", firstAnswerMs));
            List<Socket> held = new ArrayList<>();
            progress("opening " + conversations + " conversations and their sockets");
            List<String> ids = new ArrayList<>();
            List<String> tokens = new ArrayList<>();
            Map<String, ConcurrentHashMap<String, Long>> pending = new ConcurrentHashMap<>();
            ConcurrentLinkedQueue<double[]> answers = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Double> fanOutLatencies = new ConcurrentLinkedQueue<>();
            for (int i = 0; i < conversations; i++) {
                var started = api.post(system.chatUrl() + "/api/conversations", null,
                        Map.of("channel", "web", "contact", Map.of("first_name", "Bench" + i))).ok();
                String id = started.path("id").asText();
                ids.add(id);
                tokens.add(started.path("customer_token").asText());
                pending.put(id, new ConcurrentHashMap<>());
                held.add(AnswerSocket.open(system.notifierWs(1) + "/ws/conversations/" + id, tokens.get(i),
                        pending.get(id), answers, fanOutLatencies, stages));
            }
            openIdleSockets(system, api, idleSockets, held);
            long notifierRssBefore = system.service("notifier-service").rssKiB();

            progress("warming up (JIT, connection pools): " + warmup + " s at " + warmupRate + " messages/s");
            run(system, api, ids, tokens, pending, stages, warmupRate, warmup);
            Thread.sleep(3_000);
            answers.clear();
            pending.values().forEach(Map::clear);

            CpuMeter cpu = new CpuMeter(system);
            DatabaseMeter database = new DatabaseMeter(system);
            GcMeter gc = new GcMeter(system);
            progress("idle: 10 s without messages");
            Map<String, Double> idleBefore = cpu.sample();
            Map<String, Double> idleJitBefore = cpu.jitSample();
            Thread.sleep(10_000);
            // CPU milliseconds per second with the sockets open and nothing sent: pollers, heartbeats, timers, and the
            // JIT still compiling what the warm-up ran (reported apart: a service up a while has none of it)
            Map<String, Double> idle = CpuMeter.per(idleBefore, cpu.sample(), 10);
            Map<String, Double> idleJit = CpuMeter.per(idleJitBefore, cpu.jitSample(), 10);
            Map<String, Double> idleWithoutJit = new LinkedHashMap<>();
            idle.forEach((part, ms) -> idleWithoutJit.put(part, ms - idleJit.getOrDefault(part, 0.0)));
            List<Step> steps = new ArrayList<>();
            if (soakMinutes > 0) {
                String soak = soak(system, api, ids, tokens, pending, stages, answers, soakMinutes, soakRate);
                System.out.println(soak);
                if (out != null) {
                    Files.createDirectories(out);
                    Path file = out.resolve("soak-" + Instant.now().toString().replace(':', '-').substring(0, 19) + ".md");
                    Files.writeString(file, soak);
                    progress("written to " + file);
                }
                if (!options.has("rates")) {
                    // a recording soak still writes its caches as the system closes, without the report at the end
                    held.forEach(Socket::close);
                    return;
                }
            }
            for (int rate : rates) {
                progress("step: " + rate + " messages/s for " + seconds + " s");
                answers.clear();
                stages.clear();
                Map<String, Double> cpuBefore = cpu.sample();
                Map<String, Double> jitBefore = cpu.jitSample();
                Map<String, Map<String, Double>> threadsBefore = cpu.threadSample();
                Embeddings embeddingsBefore = Embeddings.of(system);
                DatabaseMeter.Work databaseBefore = database.sample();
                Map<String, GcMeter.Pauses> gcBefore = gc.sample();
                long start = System.nanoTime();
                var paused = pause == null ? null : pause.during(system.service(pause.service()), start, seconds);
                long sent = run(system, api, ids, tokens, pending, stages, rate, seconds);
                long end = System.nanoTime();
                Pause.Window pauseWindow = paused == null ? null : paused.join();
                double elapsed = (end - start) / 1e9;
                // answers still in flight get up to 15 s more
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                while (answers.size() < sent && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                Map<String, Double> cpuPerMessage = CpuMeter.per(cpuBefore, cpu.sample(), sent);
                Map<String, Double> jitPerMessage = CpuMeter.per(jitBefore, cpu.jitSample(), sent);
                Map<String, Map<String, Double>> threadsPerMessage = CpuMeter.perGroup(threadsBefore, cpu.threadSample(), sent);
                Embeddings embeddingsPerMessage = Embeddings.of(system).since(embeddingsBefore, sent);
                DatabaseMeter.Work databasePerMessage = database.sample().minus(databaseBefore).per(sent);
                Map<String, GcMeter.Pauses> gcPauses = GcMeter.since(gcBefore, gc.sample());
                List<double[]> all = new ArrayList<>(answers);
                long lastQuarterFrom = start + (long) (seconds * 0.75e9);
                Percentiles latency = Percentiles.of(all.stream().map(a -> a[1]).toList());
                Percentiles lastQuarter = Percentiles.of(all.stream().filter(a -> a[0] >= lastQuarterFrom).map(a -> a[1]).toList());
                // the floor on a quiet system: what a step past the ceiling left is worked off first, so that the
                // broker's idle work read before the floor's records is idle work, and the next step starts afresh
                boolean caughtUp = awaitNoLag(system, BACKLOG_WAIT);
                if (!caughtUp) {
                    progress("the services still lag " + BACKLOG_WAIT.toSeconds() + " s after the step: the floor's broker CPU will not be told apart");
                }
                progress("kafka floor at " + rate + " records/s");
                KafkaFloor.Result floor = KafkaFloor.measure(system.kafkaBootstrapServers(), system.kafkaPid(), rate, Math.min(seconds, 10));
                steps.add(new Step(rate, sent, all.size(), all.stream().filter(a -> a[0] <= end).count() / elapsed, latency, lastQuarter,
                        caughtUp ? floor : floor.withoutBroker(),
                        stages.stages(), cpuPerMessage, jitPerMessage, threadsPerMessage, embeddingsPerMessage, databasePerMessage, gcPauses,
                        pause == null ? null : pause.catchUp(all, pauseWindow)));
                for (var map : pending.values()) {
                    map.clear();
                }
            }
            String workflowCost = "";
            if (workflowCounts != null) {
                workflowCost = workflowCost(system, api, ids, tokens, pending, stages, answers, cpu, workflowCounts,
                        workflowRate, seconds);
                System.out.println(workflowCost);
            }
            String rebalance = "";
            if (rebalanceRate > 0) {
                rebalance = rebalance(system, api, ids, tokens, pending, stages, answers, rebalanceRate);
                System.out.println(rebalance);
            }
            progress("notifier fan-out: chat events straight into the topic at " + fanOutRate + "/s for 10 s, to the conversations' sockets");
            Percentiles fanOut = notifierFanOut(system.kafkaBootstrapServers(), ids, fanOutLatencies, fanOutRate, 10);
            Map<String, Long> memory = new LinkedHashMap<>();
            system.services().forEach((name, service) -> memory.put(name, service.rssKiB()));
            String table = table(conversations, idleSockets, setupDescription, steps, idle, idleWithoutJit, memory, notifierRssBefore)
                    + workflowCost
                    + rebalance
                    + String.format("%nFirst answer after start-up: every service reported ready, then one customer message: answered on "
                            + "its socket %.0f ms after the POST.%n", firstAnswerMs)
                    + String.format("%nnotifier-service alone, %d sockets open: chat event produced -> frame on the socket, %d events/s: "
                            + "p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms (%d frames of %d)%n", conversations + idleSockets,
                            fanOutRate, fanOut.p50(), fanOut.p95(), fanOut.p99(), fanOut.max(), fanOut.count(), fanOutRate * 10);
            System.out.println();
            System.out.println(table);
            if (out != null) {
                Files.createDirectories(out);
                String stamp = Instant.now().toString().replace(':', '-').substring(0, 19);
                var json = Json.object().put("date", Instant.now().toString()).put("conversations", conversations)
                        .put("idle_sockets", idleSockets).put("machine", Runtime.getRuntime().availableProcessors() + " cores");
                json.set("steps", Json.MAPPER.valueToTree(steps));
                json.put("first_answer_after_ready_ms", firstAnswerMs);
                json.set("rss_kib", Json.MAPPER.valueToTree(memory));
                json.set("idle_cpu_ms_per_second", Json.MAPPER.valueToTree(idle));
                json.set("idle_cpu_without_jit_ms_per_second", Json.MAPPER.valueToTree(idleWithoutJit));
                Files.writeString(out.resolve("benchmark-" + stamp + ".json"), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json));
                Files.writeString(out.resolve("benchmark-" + stamp + ".md"), table + "\n");
                progress("written to " + out.resolve("benchmark-" + stamp + ".{json,md}"));
            }
            held.forEach(Socket::close);
        }
        // the services have stopped: the caches a recording run wrote (it fails when a service wrote none)
        if (aot != null && aot.record()) {
            progress(aot.recorded());
        }
    }

    /**
     * {@code --rebalance RATE}: RATE messages a second for 100 s while second replicas of workflow- and ai-service
     * start at 10 s (they join the consumer groups once ready) and stop at 70 s (they leave them); latency per 5 s
     * window shows what the group changes cost the conversations already in flight.
     */
    private static String rebalance(SystemUnderTest system, Api api, List<String> ids, List<String> tokens,
            Map<String, ConcurrentHashMap<String, Long>> pending, StageClock stages, ConcurrentLinkedQueue<double[]> answers, int rate)
            throws Exception {
        int seconds = 100;
        progress("rebalance: " + rate + " messages/s for " + seconds + " s; second workflow- and ai-service replicas start at 10 s, stop at 70 s");
        answers.clear();
        AnswerSocket.DUPLICATES.set(0);
        pending.values().forEach(Map::clear);
        long start = System.nanoTime();
        List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread scaler = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(10_000);
                for (String module : List.of("workflow-service", "ai-service")) {
                    system.startReplica(module, module + "-2", Map.of());
                    events.add(String.format("%.0f s: %s-2 ready", (System.nanoTime() - start) / 1e9, module));
                }
                Thread.sleep(Math.max(0, start + 70_000_000_000L - System.nanoTime()) / 1_000_000);
                for (String module : List.of("workflow-service", "ai-service")) {
                    system.stop(module + "-2");
                    events.add(String.format("%.0f s: %s-2 stopped", (System.nanoTime() - start) / 1e9, module));
                }
            } catch (Exception e) {
                events.add("replicas failed: " + e.getMessage());
            }
        });
        long sent = run(system, api, ids, tokens, pending, stages, rate, seconds);
        scaler.join();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (answers.size() < sent && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        // a second answer to a question (a replica answering what another already had) comes after the first
        Thread.sleep(3_000);
        StringBuilder t = new StringBuilder(String.format("%nReplicas joining and leaving under load (%s): %d msg/s for %d s, %d sent, %d answered, %d answered twice; %s.%n%n",
                System.getenv().getOrDefault("SWITCHBOARD_KAFKA_GROUP_PROTOCOL", "consumer") + " group protocol", rate, seconds, sent,
                answers.size(), AnswerSocket.DUPLICATES.get(), String.join(", ", events)));
        t.append("| window (s) | answered | p50 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|\n");
        List<double[]> all = new ArrayList<>(answers);
        for (int from = 0; from < seconds + 30; from += 5) {
            long lo = start + from * 1_000_000_000L;
            long hi = lo + 5_000_000_000L;
            // by the time the message was sent: answer time minus latency
            Percentiles window = Percentiles.of(all.stream().filter(a -> a[0] - a[1] * 1e6 >= lo && a[0] - a[1] * 1e6 < hi).map(a -> a[1]).toList());
            if (window.count() > 0) {
                t.append(String.format("| %d-%d | %d | %.0f | %.0f | %.0f |%n", from, from + 5, window.count(), window.p50(), window.p99(), window.max()));
            }
        }
        return t.toString();
    }

    /**
     * {@code --workflows 10,1000,10,1000}: the same load ({@code --workflow-rate}, 40 msg/s) with that many active
     * workflows, each count in turn: a larger count adds workflows, a smaller one deletes the newest. Nine in ten have
     * keywords that no message of the load contains, one in ten has no keywords and a condition that does not hold (web
     * conversations, telegram wanted): every message is matched against all of them and none fires, so the difference
     * is the cost of matching alone. Counts that go back and forth ({@code 10,1000,10,1000}) tell that cost from the
     * services warming up over the run, which favours whichever count comes later.
     */
    private static String workflowCost(SystemUnderTest system, Api api, List<String> ids, List<String> tokens,
            Map<String, ConcurrentHashMap<String, Long>> pending, StageClock stages, ConcurrentLinkedQueue<double[]> answers,
            CpuMeter cpu, int[] counts, int rate, int seconds) throws Exception {
        StringBuilder t = new StringBuilder(String.format("%nWorkflow cost by the number of active workflows (%d msg/s for %d s each; "
                + "nine in ten with keywords, one in ten with a condition; none fires):%n%n", rate, seconds));
        t.append("| active workflows | workflow stage p50 / p99 ms | workflow-service CPU ms/msg | without the JIT | end-to-end p50 / p99 ms | answered |\n");
        t.append("|---:|---:|---:|---:|---:|---:|\n");
        List<String> installed = new ArrayList<>();
        for (int count : counts) {
            progress("workflows: " + count + " active, " + rate + " messages/s for " + seconds + " s");
            while (installed.size() < count) {
                installed.add(api.post(system.workflowUrl() + "/api/workflows", SystemUnderTest.AGENT_TOKEN,
                        benchWorkflow(installed.size())).ok().path("id").asText());
            }
            while (installed.size() > count) {
                api.delete(system.workflowUrl() + "/api/workflows/" + installed.remove(installed.size() - 1), SystemUnderTest.AGENT_TOKEN).ok();
            }
            // the catalog is rebuilt after a change, and what an earlier step left in flight must be answered first
            awaitNoLag(system, Duration.ofSeconds(90));
            Thread.sleep(5_000);
            answers.clear();
            stages.clear();
            pending.values().forEach(Map::clear);
            Map<String, Double> before = cpu.sample();
            Map<String, Double> jitBefore = cpu.jitSample();
            long sent = run(system, api, ids, tokens, pending, stages, rate, seconds);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (answers.size() < sent && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            double workflowCpu = CpuMeter.per(before, cpu.sample(), sent).get("workflow-service");
            double workflowJit = CpuMeter.per(jitBefore, cpu.jitSample(), sent).get("workflow-service");
            Percentiles stage = stages.stages().get(StageClock.STAGES.get(1));
            Percentiles latency = Percentiles.of(new ArrayList<>(answers).stream().map(a -> a[1]).toList());
            t.append(String.format("| %d | %.0f / %.0f | %.2f | %.2f | %.1f / %.1f | %d of %d |%n", count, stage.p50(), stage.p99(), workflowCpu,
                    workflowCpu - workflowJit, latency.p50(), latency.p99(), latency.count(), sent));
        }
        return t.toString();
    }

    /** The i-th workflow of {@link #workflowCost}: one that is matched against every message and never fires. */
    private static Map<String, Object> benchWorkflow(int i) {
        Map<String, Object> trigger = i % 10 == 9
                ? Map.of("when_type", "receive_message")
                : Map.of("when_type", "receive_message", "keywords", List.of("zq" + i + "refund", "zq" + i + " order status"));
        List<Object> conditions = i % 10 == 9
                ? List.of(Map.of("field", "conversation.channel", "operator", "equals", "value", "telegram"))
                : List.of();
        return Map.of("name", "Benchmark workflow " + i, "status", "ACTIVE", "trigger", trigger, "conditions", conditions,
                "actions", List.of(Map.of("action_type", "add_tag", "tag", "bench-" + i)));
    }

    /**
     * {@code --soak MINUTES [--soak-rate 25]}: the load at one rate for that long, sampled every 30 s: each process's
     * resident memory, the consumer groups' lag and the messages still waiting for their answer. A leak shows as a
     * slope; the report gives each as a least-squares slope per 10 minutes, and checks that every message was answered
     * once.
     */
    private static String soak(SystemUnderTest system, Api api, List<String> ids, List<String> tokens,
            Map<String, ConcurrentHashMap<String, Long>> pending, StageClock stages, ConcurrentLinkedQueue<double[]> answers, int minutes,
            int rate) throws Exception {
        progress("soak: " + rate + " messages/s for " + minutes + " min, sampled every 30 s");
        answers.clear();
        pending.values().forEach(Map::clear);
        AnswerSocket.DUPLICATES.set(0);
        long[] sent = new long[1];
        Thread load = Thread.ofPlatform().name("soak-load").start(() -> {
            try {
                sent[0] = run(system, api, ids, tokens, pending, stages, rate, minutes * 60);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        long start = System.nanoTime();
        List<double[]> samples = new ArrayList<>();
        List<String> columns = new ArrayList<>(system.services().keySet());
        columns.add("kafka broker");
        try (Admin client = admin(system.kafkaBootstrapServers())) {
            while (load.isAlive()) {
                load.join(30_000);
                double[] sample = new double[columns.size() + 3];
                sample[0] = (System.nanoTime() - start) / 60e9;
                int i = 1;
                for (String name : system.services().keySet()) {
                    sample[i++] = system.service(name).rssKiB() / 1024.0;
                }
                sample[i++] = SystemUnderTest.rssKiB(system.kafkaPid()) / 1024.0;
                sample[i++] = consumerLag(client);
                sample[i] = pending.values().stream().mapToInt(Map::size).sum();
                samples.add(sample);
                progress(String.format("soak %.1f min: lag %.0f records, %.0f messages waiting for their answer", sample[0],
                        sample[i - 1], sample[i]));
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (answers.size() < sent[0] && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        columns.add("consumer lag (records)");
        columns.add("messages waiting for their answer");
        StringBuilder t = new StringBuilder(String.format("%nSoak: %d msg/s for %d min, %d sent, %d answered, %d answered twice; "
                + "sampled every 30 s (%d samples).%n%n", rate, minutes, sent[0], answers.size(), AnswerSocket.DUPLICATES.get(), samples.size()));
        t.append("| measure | first sample | last sample | max | slope per 10 min |\n|---|---:|---:|---:|---:|\n");
        for (int c = 0; c < columns.size(); c++) {
            int column = c + 1;
            double[] x = samples.stream().mapToDouble(sample -> sample[0]).toArray();
            double[] y = samples.stream().mapToDouble(sample -> sample[column]).toArray();
            t.append(String.format("| %s%s | %.0f | %.0f | %.0f | %+.1f |%n", columns.get(c), c < columns.size() - 2 ? " RSS (MiB)" : "",
                    y.length == 0 ? Double.NaN : y[0], y.length == 0 ? Double.NaN : y[y.length - 1],
                    Arrays.stream(y).max().orElse(Double.NaN), slope(x, y) * 10));
        }
        Percentiles latency = Percentiles.of(new ArrayList<>(answers).stream().map(a -> a[1]).toList());
        t.append(String.format("%nLatency over the soak: p50 %.1f ms, p99 %.1f ms, max %.1f ms.%n", latency.p50(), latency.p99(), latency.max()));
        return t.toString();
    }

    /** Least-squares slope of y over x. */
    static double slope(double[] x, double[] y) {
        int n = x.length;
        if (n < 2) {
            return Double.NaN;
        }
        double mx = Arrays.stream(x).average().orElse(0);
        double my = Arrays.stream(y).average().orElse(0);
        double num = 0;
        double den = 0;
        for (int i = 0; i < n; i++) {
            num += (x[i] - mx) * (y[i] - my);
            den += (x[i] - mx) * (x[i] - mx);
        }
        return den == 0 ? Double.NaN : num / den;
    }

    /** An admin client of the run's broker (topics, consumer groups' offsets). */
    static Admin admin(String bootstrap) {
        return Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap));
    }

    /**
     * Waits until every consumer group of the services has caught up (what an overloaded step left is worked off);
     * whether they did within {@code atMost}.
     */
    private static boolean awaitNoLag(SystemUnderTest system, Duration atMost) throws Exception {
        long deadline = System.nanoTime() + atMost.toNanos();
        try (Admin client = admin(system.kafkaBootstrapServers())) {
            boolean lagging;
            while ((lagging = consumerLag(client) > 0) && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            return !lagging;
        }
    }

    /** Records not yet consumed, summed over every consumer group of the services (end offset minus committed offset). */
    private static double consumerLag(Admin client) throws Exception {
        long lag = 0;
        for (var group : client.listGroups().all().get()) {
            String id = group.groupId();
            if (id.startsWith("benchmark-") || id.startsWith("floor-")) {
                continue;
            }
            var committed = client.listConsumerGroupOffsets(id).partitionsToOffsetAndMetadata().get();
            if (committed.isEmpty()) {
                continue;
            }
            Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new java.util.HashMap<>();
            committed.keySet().forEach(partition -> latest.put(partition, org.apache.kafka.clients.admin.OffsetSpec.latest()));
            var ends = client.listOffsets(latest).all().get();
            for (var entry : committed.entrySet()) {
                if (entry.getValue() != null && ends.containsKey(entry.getKey())) {
                    lag += Math.max(0, ends.get(entry.getKey()).offset() - entry.getValue().offset());
                }
            }
        }
        return lag;
    }

    /** One conversation, one message, right after start-up: ms from the POST to the AI answer on the customer's socket. */
    private static double firstAnswerAfterReady(SystemUnderTest system, Api api) {
        var started = api.post(system.chatUrl() + "/api/conversations", null, Map.of("channel", "web", "contact", Map.of("first_name", "First"))).ok();
        String id = started.path("id").asText();
        String token = started.path("customer_token").asText();
        try (Socket socket = Socket.open(system.notifierWs(1) + "/ws/conversations/" + id, token)) {
            long posted = System.nanoTime();
            api.post(system.chatUrl() + "/api/conversations/" + id + "/messages", token, Map.of("content", "How do I reset my password?")).ok();
            if (socket.nextMessageFrom("ai", java.time.Duration.ofSeconds(60)) == null) {
                throw new IllegalStateException("the first message after start-up was not answered within 60 s");
            }
            return (System.nanoTime() - posted) / 1e6;
        }
    }

    /** Sends {@code rate} messages a second for {@code seconds}, open-loop; returns how many were sent. */
    private static long run(SystemUnderTest system, Api api, List<String> ids, List<String> tokens,
            Map<String, ConcurrentHashMap<String, Long>> pending, StageClock stages, int rate, int seconds) throws InterruptedException {
        long total = (long) rate * seconds;
        long intervalNanos = 1_000_000_000L / rate;
        AtomicLong failures = new AtomicLong();
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            long start = System.nanoTime();
            for (long i = 0; i < total; i++) {
                long due = start + i * intervalNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                int c = (int) (i % ids.size());
                String id = ids.get(c);
                String content = StageClock.newContent();
                senders.execute(() -> {
                    pending.get(id).put("Stub answer to: " + content, System.nanoTime());
                    stages.posted(content);
                    var reply = api.post(system.chatUrl() + "/api/conversations/" + id + "/messages", tokens.get(c), Map.of("content", content));
                    if (reply.status() != 201) {
                        failures.incrementAndGet();
                        pending.get(id).remove("Stub answer to: " + content);
                    }
                });
            }
        }
        if (failures.get() > 0) {
            progress(failures.get() + " sends failed");
        }
        return total - failures.get();
    }

    /** Extra sockets held open (ten per conversation, the per-token cap) while the load runs. */
    private static void openIdleSockets(SystemUnderTest system, Api api, int count, List<Socket> held) {
        if (count <= 0) {
            return;
        }
        progress("opening " + count + " idle sockets");
        String id = null;
        String token = null;
        for (int i = 0; i < count; i++) {
            if (i % 10 == 0) {
                var started = api.post(system.chatUrl() + "/api/conversations", null,
                        Map.of("channel", "web", "contact", Map.of("first_name", "Idle" + i))).ok();
                id = started.path("id").asText();
                token = started.path("customer_token").asText();
            }
            held.add(Socket.open(system.notifierWs(1) + "/ws/conversations/" + id, token));
        }
    }

    /**
     * The notifier alone: message_created events written straight into the chat-events topic (as chat-service's relay
     * writes them), each stamped with its production time, and the time they reach the conversation's socket.
     */
    private static Percentiles notifierFanOut(String bootstrap, List<String> ids, ConcurrentLinkedQueue<Double> latencies, int rate,
            int seconds) throws Exception {
        latencies.clear();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        long total = (long) rate * seconds;
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            long start = System.nanoTime();
            long interval = 1_000_000_000L / rate;
            for (long i = 0; i < total; i++) {
                long wait = start + i * interval - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                String id = ids.get((int) (i % ids.size()));
                String content = AnswerSocket.FAN_OUT_PREFIX + System.nanoTime();
                var data = Json.object().put("content", content);
                data.putObject("message").put("id", UUID.randomUUID().toString()).put("sender_type", "agent").put("content", content);
                var event = io.switchboard.contracts.Envelope.of("message_created", "benchmark", id, null, data);
                producer.send(new ProducerRecord<>("switchboard.chat-events", id, Json.write(event)));
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (latencies.size() < total && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        return Percentiles.of(new ArrayList<>(latencies));
    }

    /**
     * The CPU a record costs at the Kafka floor against what the system spends a message: the least a message's records
     * alone cost here, to tell the system's own work from what moving its records takes.
     */
    static void floorCpuTable(StringBuilder t, List<Step> steps) {
        t.append("\nThe CPU floor: one record produced (acks=all, no linger) and read once by a bare producer and consumer on the same broker")
                .append(" at the step's rate, nothing else done with it; the broker's part is its CPU beyond what it spent idle just before.")
                .append(" A message is four records, and the chat events (two of them) are read by workflow- and notifier-service,")
                .append(" so its records are produced four times and read six: four floors are the least they cost here.\n\n")
                .append("| rate | records measured | floor CPU ms per record: clients | broker | both | the system alone, ms per message | in floors |\n")
                .append("|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Step s : steps) {
            double system = s.cpuMsPerMessage().entrySet().stream().filter(part -> !part.getKey().equals(CpuMeter.LOAD_GENERATOR))
                    .mapToDouble(Map.Entry::getValue).sum();
            KafkaFloor.Result floor = s.kafkaFloor();
            t.append(String.format("| %d | %d | %s | %s | %s | %.1f | %s |%n", s.rate(), floor.records(), orNone(floor.clientsCpuMsPerRecord(), "%.2f"),
                    Double.isNaN(floor.brokerCpuMsPerRecord()) ? "the services still lagged" : String.format("%.2f", floor.brokerCpuMsPerRecord()),
                    orNone(floor.cpuMsPerRecord(), "%.2f"), system, orNone(system / floor.cpuMsPerRecord(), "%.0f")));
        }
    }

    private static String orNone(double value, String format) {
        return Double.isNaN(value) ? "" : String.format(format, value);
    }

    /** One row of the CPU table: each process's figure, in the header's order, then their total. */
    private static void cpuRow(StringBuilder t, String label, List<String> parts, Map<String, Double> msByPart) {
        t.append("| ").append(label).append(" | ");
        parts.forEach(part -> t.append(String.format("%.1f | ", msByPart.get(part))));
        double total = msByPart.values().stream().mapToDouble(Double::doubleValue).sum();
        t.append(String.format("%.1f | %.1f |%n", total, total - msByPart.getOrDefault(CpuMeter.LOAD_GENERATOR, 0.0)));
    }

    /**
     * The services' tuning variables a run may set, and the one that picks their JVMs' collector; named in its report
     * (an allow-list: no secret is ever printed).
     */
    private static final List<String> TUNING = List.of("SWITCHBOARD_CONSUMER_CONCURRENCY", "SWITCHBOARD_KAFKA_GROUP_PROTOCOL",
            "SWITCHBOARD_KAFKA_POLL_TIMEOUT_MS", "SWITCHBOARD_KAFKA_FETCH_MAX_WAIT_MS", "SWITCHBOARD_AI_PARALLEL_ANSWERS",
            "SWITCHBOARD_COMMANDS_PER_TRANSACTION", SystemUnderTest.COLLECTOR_VARIABLE);

    /** The tuning variables set in {@code env}, as NAME=value; only those of {@link #TUNING}, whatever else is set. */
    static String tuning(Map<String, String> env) {
        return TUNING.stream().filter(env::containsKey).map(name -> name + "=" + env.get(name)).collect(Collectors.joining(", "));
    }

    private static String table(int conversations, int idleSockets, String setupDescription, List<Step> steps, Map<String, Double> idle,
            Map<String, Double> idleWithoutJit, Map<String, Long> memory,
            long notifierRssBefore) {
        StringBuilder t = new StringBuilder();
        t.append("Switchboard end-to-end benchmark, ").append(Instant.now().toString(), 0, 19).append("Z, ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores (").append(processor())
                .append("), everything on this machine\n");
        t.append(conversations).append(" conversations (one customer socket each), ").append(idleSockets)
                .append(" extra idle sockets; ").append(setupDescription).append(".\n");
        String tuned = tuning(System.getenv());
        if (!tuned.isEmpty()) {
            t.append("Set in the environment (the services and their JVMs): ").append(tuned).append(".\n");
        }
        t.append("Latency: customer POST -> AI answer on the customer's socket. Floor: Kafka produce -> consume, same broker, same rate;")
                .append(" a message crosses four Kafka records (message_received, reply_request, send_message, the answer's message_created),")
                .append(" so four floors are what its hops alone would take.\n\n");
        t.append("| rate (msg/s) | sent | answered | answers/s in window | p50 ms | p95 ms | p99 ms | max ms | last-quarter p50 / p99 ms | Kafka floor p50 / p99 / max ms | p50 / p99 in floors |\n");
        t.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Step s : steps) {
            t.append(String.format("| %d | %d | %d | %.0f | %.1f | %.1f | %.1f | %.1f | %.1f / %.1f | %.1f / %.1f / %.1f | %.0f / %.0f |%n", s.rate(),
                    s.sent(), s.answered(), s.achievedPerSecond(), s.latency().p50(), s.latency().p95(), s.latency().p99(), s.latency().max(),
                    s.lastQuarter().p50(), s.lastQuarter().p99(), s.kafkaFloor().latency().p50(), s.kafkaFloor().latency().p99(),
                    s.kafkaFloor().latency().max(), s.latency().p50() / s.kafkaFloor().latency().p50(),
                    s.latency().p99() / s.kafkaFloor().latency().p99()));
        }
        steps.stream().map(Step::pause).filter(java.util.Objects::nonNull).findFirst().ifPresent(p -> {
            t.append(String.format("%nA backlog on purpose (--pause): %s stopped (SIGSTOP) a third of the way into each step for %d s, "
                    + "the load going on; caught up: how long after it went on the messages sent were answered within twice the p99 "
                    + "of those answered before the pause again.%n%n", p.service(), p.pausedSeconds()));
            t.append("| rate | p99 of the answers before the pause, ms | sent while stopped | caught up, s after it went on | slowest answer ms |\n|---:|---:|---:|---:|---:|\n");
            for (Step s : steps) {
                t.append(String.format("| %d | %.0f | %d | %s | %.0f |%n", s.rate(), s.pause().p99BeforeMs(), s.pause().sentWhileStopped(),
                        Double.isNaN(s.pause().caughtUpSeconds()) ? "not within the step" : String.format("%.1f", s.pause().caughtUpSeconds()),
                        s.pause().maxMs()));
            }
        });
        t.append("\nWhere the time goes (ms, Kafka CreateTime of each stage's record; each row ends at that service's output):\n\n");
        t.append("| rate | stage | p50 | p95 | p99 | max |\n|---:|---|---:|---:|---:|---:|\n");
        for (Step s : steps) {
            s.stages().forEach((stage, p) -> t.append(String.format("| %d | %s | %.0f | %.0f | %.0f | %.0f |%n", s.rate(), stage, p.p50(),
                    p.p95(), p.p99(), p.max())));
        }
        t.append("\nCPU per message (ms of CPU time, user + system, over the step and its drain; 2 cores = 2,000 ms per second):\n\n");
        List<String> parts = steps.isEmpty() ? List.of() : new ArrayList<>(steps.get(0).cpuMsPerMessage().keySet());
        t.append("| rate | ").append(String.join(" | ", parts)).append(" | total | the system alone (without the load generator) |\n|---:|")
                .append("---:|".repeat(parts.size() + 2)).append('\n');
        for (Step s : steps) {
            cpuRow(t, Integer.toString(s.rate()), parts, s.cpuMsPerMessage());
        }
        cpuRow(t, "idle, ms per second", parts, idle);
        cpuRow(t, "idle without the JIT", parts, idleWithoutJit);
        floorCpuTable(t, steps);
        t.append("\nOf that, the JIT compiler's threads (ms per message; warm-up, not serving: it falls towards 0 as the services run longer):\n\n");
        List<String> jvms = steps.isEmpty() ? List.of() : new ArrayList<>(steps.get(0).jitMsPerMessage().keySet());
        t.append("| rate | ").append(String.join(" | ", jvms)).append(" | total | total without it |\n|---:|").append("---:|".repeat(jvms.size() + 2)).append('\n');
        for (Step s : steps) {
            double jit = s.jitMsPerMessage().values().stream().mapToDouble(Double::doubleValue).sum();
            t.append("| ").append(s.rate()).append(" | ");
            jvms.forEach(jvm -> t.append(String.format("%.1f | ", s.jitMsPerMessage().get(jvm))));
            t.append(String.format("%.1f | %.1f |%n", jit, s.cpuMsPerMessage().values().stream().mapToDouble(Double::doubleValue).sum() - jit));
        }
        threadTable(t, steps);
        t.append("\nOf ai-service's, the questions' embeddings (all-MiniLM-L6-v2 on the answering thread; its own metric, switchboard_ai_embedding_cpu):\n\n")
                .append("| rate | embeddings per message | CPU ms per message |\n|---:|---:|---:|\n");
        for (Step s : steps) {
            t.append(String.format("| %d | %.2f | %.1f |%n", s.rate(), s.embeddingsPerMessage().count(), s.embeddingsPerMessage().cpuMs()));
        }
        t.append("\nPostgreSQL's work per message (this run's databases, pg_stat_database; autovacuum ").append(DatabaseMeter.autovacuum())
                .append("):\n\n| rate | transactions | rows and index entries read | rows written |\n|---:|---:|---:|---:|\n");
        for (Step s : steps) {
            t.append(String.format("| %d | %.1f | %.1f | %.1f |%n", s.rate(), s.databasePerMessage().transactions(),
                    s.databasePerMessage().rowsRead(), s.databasePerMessage().rowsWritten()));
        }
        gcTable(t, steps);
        t.append("\nResident memory at the end (RSS, MiB): ");
        memory.forEach((name, kib) -> t.append(name).append(' ').append(kib / 1024).append("  "));
        t.append("\nnotifier-service RSS with the sockets open, before the load: ").append(notifierRssBefore / 1024).append(" MiB\n");
        return t.toString();
    }

    /**
     * Each service's pauses in each step (a pause stops the service, so its length is latency at that stage), and the
     * bytes it allocated per message, which unlike its CPU time do not move with the machine's speed.
     */
    static void gcTable(StringBuilder t, List<Step> steps) {
        t.append("\nGarbage-collection pauses over each step and its drain (jvm_gc_pause_seconds; a pause stops every thread of its service),"
                        + " and what each service allocated per message (jvm_gc_memory_allocated_bytes and the eden; it does not move with the"
                        + " machine's speed):\n\n")
                .append("| rate | service | allocated kB per message | pauses | paused ms | of them full | full ms | what started the full ones |\n")
                .append("|---:|---|---:|---:|---:|---:|---:|---|\n");
        for (Step s : steps) {
            s.gcPauses().forEach((service, p) -> t.append(String.format("| %d | %s | %.0f | %.0f | %.0f | %.0f | %.0f | %s |%n", s.rate(), service,
                    s.sent() == 0 ? 0.0 : p.allocatedBytes() / 1024 / s.sent(), p.count(), p.ms(), p.fullCount(), p.fullMs(),
                    p.fullCauses().isEmpty() ? "" : p.fullCauses().entrySet().stream()
                            .map(e -> e.getKey() + String.format(" (%.0f)", e.getValue())).collect(java.util.stream.Collectors.joining(", ")))));
        }
    }

    /** A group's CPU below this in every step is summed into its process's rest. */
    private static final double THREAD_GROUP_SHOWN_MS = 0.1;
    /** What the busiest thread groups are, for a reader who does not know the frameworks' thread names. */
    private static final Map<String, String> THREAD_GROUP_ROLES = Map.ofEntries(
            Map.entry("executor-thread", "Quarkus worker pool: REST handlers, blocking consumers, their transactions"),
            Map.entry("vert.x-eventloo", "Vert.x event loops: HTTP, WebSocket and Redis I/O"),
            Map.entry("consumer_backgr", "Kafka consumers' network threads"),
            Map.entry("smallrye-kafka", "SmallRye's polling threads: a poll's records to batches"),
            Map.entry("kafka-producer", "Kafka producers' network threads"),
            Map.entry("data-plane-kafk", "the broker's network and request handler threads"),
            Map.entry("ai-answers", "answering: the question's embedding, the model call"),
            Map.entry(CpuMeter.JIT, "warm-up, see above"),
            Map.entry("GC Thread", "garbage collector"));

    /**
     * Each process's CPU per message by thread group (PostgreSQL's by the database its server processes serve): groups
     * of at least {@link #THREAD_GROUP_SHOWN_MS} in some step, largest first, then the rest, threads that ended included.
     */
    private static void threadTable(StringBuilder t, List<Step> steps) {
        if (steps.isEmpty()) {
            return;
        }
        t.append("\nEach process's CPU by thread (ms per message; a thread's name as the kernel keeps it, 15 characters, without its number; ")
                .append("PostgreSQL's by the database its server processes serve):\n\n| process | threads | ")
                .append(String.join(" | ", steps.stream().map(s -> s.rate() + " msg/s").toList())).append(" |\n|---|---|")
                .append("---:|".repeat(steps.size())).append('\n');
        Step first = steps.get(0);
        for (String part : first.threadMsPerMessage().keySet()) {
            List<String> shown = first.threadMsPerMessage().get(part).entrySet().stream()
                    .filter(group -> steps.stream().anyMatch(s -> s.threadMsPerMessage().get(part).getOrDefault(group.getKey(), 0.0) >= THREAD_GROUP_SHOWN_MS))
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).map(Map.Entry::getKey).toList();
            for (String group : shown) {
                String role = THREAD_GROUP_ROLES.get(group);
                t.append("| ").append(part).append(" | ").append(group).append(role == null ? "" : " (" + role + ")").append(" | ");
                t.append(String.join(" | ", steps.stream().map(s -> String.format("%.2f", s.threadMsPerMessage().get(part).getOrDefault(group, 0.0))).toList()))
                        .append(" |\n");
            }
            t.append("| ").append(part).append(" | the rest, threads that ended included | ").append(String.join(" | ", steps.stream().map(s -> {
                double listed = shown.stream().mapToDouble(group -> s.threadMsPerMessage().get(part).getOrDefault(group, 0.0)).sum();
                return String.format("%.2f", s.cpuMsPerMessage().getOrDefault(part, listed) - listed);
            }).toList())).append(" |\n");
        }
    }

    /**
     * The processor and the vector instructions that decide what the embedding costs (the 8-bit model is several times
     * cheaper with AVX-512 VNNI than with AVX2 alone): runs on different machines compare only with this in view.
     */
    static String processor() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            String model = lines.stream().filter(l -> l.startsWith("model name")).findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown");
            Set<String> flags = lines.stream().filter(l -> l.startsWith("flags")).findFirst()
                    .map(l -> Set.of(l.substring(l.indexOf(':') + 1).strip().split("\\s+"))).orElse(Set.of());
            List<String> vector = List.of("avx2", "avx512f", "avx512_vnni", "avx_vnni");
            return model + "; " + String.join(", ", vector.stream().map(f -> (flags.contains(f) ? "" : "no ") + f).toList());
        } catch (java.io.IOException e) {
            return "processor unknown";
        }
    }

    private static void progress(String line) {
        System.out.printf("[bench %tT] %s%n", Instant.now().atZone(java.time.ZoneId.systemDefault()), line);
    }

    /** A customer socket that matches AI answers to the messages waiting for them and records the latency. */
    static final class AnswerSocket {
        static final String FAN_OUT_PREFIX = "fan-out ";
        /** Answers to a benchmark message that came after its first answer. */
        static final AtomicLong DUPLICATES = new AtomicLong();

        static Socket open(String url, String token, ConcurrentHashMap<String, Long> waiting, ConcurrentLinkedQueue<double[]> answers,
                ConcurrentLinkedQueue<Double> fanOut, StageClock stages) {
            return Socket.open(url, token, frame -> {
                String content = frame.path("data").path("content").asText();
                if (content.startsWith(FAN_OUT_PREFIX)) {
                    // the event carries System.nanoTime() of its production, in this same JVM
                    fanOut.add((System.nanoTime() - Long.parseLong(content.substring(FAN_OUT_PREFIX.length()))) / 1e6);
                    return;
                }
                if ("message.created".equals(frame.path("type").asText())
                        && "ai".equals(frame.path("data").path("message").path("sender_type").asText())) {
                    String question = content;
                    Long sentAt = waiting.remove(content);
                    if (sentAt == null && !content.startsWith("Stub answer to: ")) {
                        // an answer that does not echo its question (the local provider): the oldest question still
                        // waiting, since a conversation's answers come in the order of its questions
                        var oldest = waiting.entrySet().stream().min(Map.Entry.comparingByValue());
                        if (oldest.isPresent() && waiting.remove(oldest.get().getKey(), oldest.get().getValue())) {
                            question = oldest.get().getKey();
                            sentAt = oldest.get().getValue();
                        }
                    }
                    if (sentAt == null && content.startsWith("Stub answer to: " + StageClock.PREFIX)) {
                        DUPLICATES.incrementAndGet();
                    }
                    if (sentAt != null) {
                        stages.delivered(question);
                        long now = System.nanoTime();
                        answers.add(new double[] {now, (now - sentAt) / 1e6});
                    }
                }
            });
        }
    }
}
