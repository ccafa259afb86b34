package io.switchboard.system;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One Kafka hop on the benchmark's broker at a step's rate, with nothing else done with the records: each produced as
 * the services send theirs (acks=all, no linger) and consumed once. Its latency is the floor a message's four hops
 * stand on; its CPU per record (the two clients' threads, and the broker's work beyond what it does idle) is the least
 * a record costs on this machine, so the system's CPU per message counted in floors says how far it is from the cost
 * of moving its records alone.
 */
final class KafkaFloor {
    /**
     * Records sent a millisecond apart before the step's, so that the new clients run compiled code, as the services'
     * clients do after the benchmark's warm-up (a step's own warm-up is a few hundred records, short of C2's thresholds).
     */
    private static final int WARM_UP_RECORDS = 5_000;
    /** How long the broker's idle CPU is read just before the records, to take it out of the hop's. */
    private static final Duration BROKER_IDLE_SAMPLE = Duration.ofSeconds(2);

    /**
     * A floor run: the latency of the records after the first two seconds, and the CPU per record over those same
     * records. The broker's share is what it spent beyond its idle rate, and can come out slightly negative at low
     * rates, where the records' work is within the idle work's noise.
     */
    record Result(Benchmark.Percentiles latency, long records, double clientsCpuMsPerRecord, double brokerCpuMsPerRecord) {
        double cpuMsPerRecord() {
            return clientsCpuMsPerRecord + brokerCpuMsPerRecord;
        }

        /** The same run without the broker's figure: the broker was still busy with other work, so its idle is unknown. */
        Result withoutBroker() {
            return new Result(latency, records, clientsCpuMsPerRecord, Double.NaN);
        }
    }

    private KafkaFloor() {
    }

    /**
     * {@link #WARM_UP_RECORDS} records a millisecond apart, then {@code rate} records a second for two seconds more of
     * warm-up (the new clients' first, interpreted sends had put themselves into the floor's p99 and max) and
     * {@code seconds} measured ones, keyed over 50 keys on a new topic of four partitions, like the services' records.
     */
    static Result measure(String bootstrap, long brokerPid, int rate, int seconds) throws Exception {
        String topic = "benchmark.floor." + UUID.randomUUID();
        try (Admin client = Benchmark.admin(bootstrap)) {
            client.createTopics(List.of(new NewTopic(topic, 4, (short) 1))).all().get();
        }
        double brokerIdleMsPerSecond = brokerIdle(brokerPid);
        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "floor-" + UUID.randomUUID());
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        int warmUp = WARM_UP_RECORDS + 2 * rate;
        long total = warmUp + (long) rate * seconds;
        List<Double> latencies = new ArrayList<>();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Set<Long> before = threadIds(threads);
        long received = 0;
        Cpu windowStart = null;
        Cpu windowEnd = null;
        try (var consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer());
                var producer = new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer())) {
            consumer.subscribe(List.of(topic));
            while (consumer.assignment().isEmpty()) {
                consumer.poll(Duration.ofMillis(100));
            }
            // a platform thread of its own, so that its CPU is its own (a virtual thread's goes to its carrier); it ends
            // before the last records are read, so it leaves its CPU time behind
            AtomicLong senderNanos = new AtomicLong(-1);
            Thread sender = Thread.ofPlatform().name("kafka-floor-sender").start(() -> {
                long start = System.nanoTime();
                long interval = 1_000_000_000L / rate;
                for (long i = 0; i < total; i++) {
                    long due = i < WARM_UP_RECORDS ? start + i * 1_000_000L
                            : start + WARM_UP_RECORDS * 1_000_000L + (i - WARM_UP_RECORDS) * interval;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        try {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        } catch (InterruptedException e) {
                            break;
                        }
                    }
                    // the record's number first: the warm-up's records are told apart by it
                    producer.send(new ProducerRecord<>(topic, "k" + (i % 50), i + " " + System.nanoTime()));
                }
                senderNanos.set(threads.getCurrentThreadCpuTime());
            });
            // the clients' threads: those started since (the producer's sender, the consumer's background thread), this one
            Set<Long> floorThreads = threadIds(threads);
            floorThreads.removeAll(before);
            floorThreads.add(Thread.currentThread().threadId());
            floorThreads.remove(sender.threadId());
            Clients clients = new Clients(threads, floorThreads, sender.threadId(), senderNanos);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WARM_UP_RECORDS / 1000 + seconds + 17L);
            while (received < total && System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(50))) {
                    received++;
                    String[] numberAndNanos = record.value().split(" ");
                    if (Long.parseLong(numberAndNanos[0]) >= warmUp) {
                        latencies.add((System.nanoTime() - Long.parseLong(numberAndNanos[1])) / 1e6);
                    }
                }
                if (windowStart == null && received >= warmUp) {
                    windowStart = Cpu.now(clients, brokerPid);
                }
            }
            sender.join();
            windowEnd = Cpu.now(clients, brokerPid);
        }
        if (windowStart == null || latencies.isEmpty()) {
            return new Result(Benchmark.Percentiles.of(latencies), 0, Double.NaN, Double.NaN);
        }
        long records = latencies.size();
        double windowSeconds = (windowEnd.nanos() - windowStart.nanos()) / 1e9;
        double broker = windowEnd.brokerMs() - windowStart.brokerMs() - (windowEnd.brokerJitMs() - windowStart.brokerJitMs())
                - brokerIdleMsPerSecond * windowSeconds;
        return new Result(Benchmark.Percentiles.of(latencies), records, (windowEnd.clientsMs() - windowStart.clientsMs()) / records,
                broker / records);
    }

    /** The broker's CPU a second without its JIT, over a short wait with no records of the floor's yet. */
    private static double brokerIdle(long brokerPid) throws InterruptedException {
        double cpu = CpuMeter.processMillis(brokerPid) - CpuMeter.compilerMillis(brokerPid);
        long start = System.nanoTime();
        Thread.sleep(BROKER_IDLE_SAMPLE.toMillis());
        double seconds = (System.nanoTime() - start) / 1e9;
        return (CpuMeter.processMillis(brokerPid) - CpuMeter.compilerMillis(brokerPid) - cpu) / seconds;
    }

    private static Set<Long> threadIds(ThreadMXBean threads) {
        return new HashSet<>(Arrays.stream(threads.getAllThreadIds()).boxed().toList());
    }

    /**
     * The floor's client threads: the consumer's and producer's own, the thread that polls, and the sender, whose CPU
     * time is read from what it left when it has ended.
     */
    private record Clients(ThreadMXBean threads, Set<Long> running, long sender, AtomicLong senderNanosAtEnd) {
        double cpuMs() {
            long sender = threads.getThreadCpuTime(this.sender);
            // a thread that has ended reports -1; the others end only as the clients close
            long nanos = running.stream().mapToLong(threads::getThreadCpuTime).filter(ns -> ns > 0).sum()
                    + (sender >= 0 ? sender : senderNanosAtEnd.get());
            return nanos / 1e6;
        }
    }

    /** The CPU so far of the floor's clients and of the broker's process (from /proc), and when it was read. */
    private record Cpu(long nanos, double clientsMs, double brokerMs, double brokerJitMs) {
        static Cpu now(Clients clients, long brokerPid) {
            return new Cpu(System.nanoTime(), clients.cpuMs(), CpuMeter.processMillis(brokerPid), CpuMeter.compilerMillis(brokerPid));
        }
    }
}
