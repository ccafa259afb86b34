package io.switchboard.common.security;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.switchboard.common.messaging.KafkaConnection;
import io.switchboard.contracts.AgentStatus;
import io.switchboard.contracts.Json;
import io.switchboard.contracts.Topics;

/**
 * Which agent accounts are deactivated, and since when their tokens no longer count, as chat-service publishes it on
 * {@link Topics#AGENT_EVENTS}. Every replica of every service reads the whole topic from the start (no consumer
 * group: each needs every record), so an agent's tokens stop working everywhere within a poll of the deactivation.
 * The topic has to keep a record at least as long as an access token lives; it is keyed by agent id, so compaction
 * keeps the latest state of each account.
 */
@ApplicationScoped
public class AgentStatuses {
    private static final Logger LOG = Logger.getLogger(AgentStatuses.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final Map<String, AgentStatus> statuses = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean caughtUp = new AtomicBoolean();
    private final Map<String, Object> kafka;
    private volatile KafkaConsumer<String, String> consumer;
    private Thread thread;

    /** @param kafka the services' {@code kafka.*} settings (Quarkus's default broker): address and sign-in */
    AgentStatuses(@Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.kafka = kafka;
    }

    /** False for a deactivated agent, and for tokens issued before the agent's tokens were last revoked. */
    public boolean allows(String agentId, long issuedAtEpochSecond) {
        AgentStatus status = statuses.get(agentId);
        return status == null || (status.active() && issuedAtEpochSecond >= status.tokensNotBefore().getEpochSecond());
    }

    /** True once the topic has been read up to where it was when this replica started. */
    public boolean caughtUp() {
        return caughtUp.get();
    }

    /** Applies one status (also what the feed does with each record). */
    public void apply(AgentStatus status) {
        // one agent's records share a partition, so the last one read is the newest
        statuses.put(status.agentId(), status);
    }

    void start(@Observes StartupEvent startup) {
        running.set(true);
        thread = new Thread(this::run, "agent-statuses");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        running.set(false);
        KafkaConsumer<String, String> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }

    private void run() {
        while (running.get()) {
            try (KafkaConsumer<String, String> kafka = new KafkaConsumer<>(properties())) {
                consumer = kafka;
                follow(kafka);
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("agent statuses: %s; reading again in 2 s", e.getMessage());
                sleep();
            }
        }
    }

    private void follow(KafkaConsumer<String, String> kafka) {
        List<TopicPartition> partitions;
        do {
            partitions = kafka.partitionsFor(Topics.AGENT_EVENTS, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            if (partitions.isEmpty()) {
                // no agent was ever changed: nothing to revoke yet
                caughtUp.set(true);
                sleep();
            }
        } while (partitions.isEmpty() && running.get());
        kafka.assign(partitions);
        kafka.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = kafka.endOffsets(partitions);
        while (running.get()) {
            for (ConsumerRecord<String, String> record : kafka.poll(POLL)) {
                read(record.value());
            }
            if (!caughtUp.get() && end.entrySet().stream().allMatch(e -> kafka.position(e.getKey()) >= e.getValue())) {
                caughtUp.set(true);
            }
        }
    }

    private void read(String value) {
        try {
            apply(Json.MAPPER.treeToValue(Json.readEnvelope(value).data(), AgentStatus.class));
        } catch (RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
            LOG.warnf("agent statuses: skipped a record that is not an agent status (%s)", e.getMessage());
        }
    }

    private Properties properties() {
        Properties props = KafkaConnection.of(kafka, "agent-statuses");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return props;
    }

    private void sleep() {
        try {
            Thread.sleep(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
        }
    }
}
