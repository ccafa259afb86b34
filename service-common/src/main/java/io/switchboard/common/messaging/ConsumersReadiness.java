package io.switchboard.common.messaging;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;

/**
 * Ready once every consumer of every incoming channel has joined its group and each of those groups is stable (every
 * member holds its target assignment). Before that, a replica that says it is ready takes no events, or takes them
 * only after partitions finish moving (Kafka 4's group protocol hands them out over a few heartbeats), and a notifier
 * replica, reading from the end, would miss the first ones: that is how the first message after start-up used to
 * wait. Once reached, it stays ready: later group changes move partitions without stopping the others.
 */
@Readiness
@ApplicationScoped
public class ConsumersReadiness implements HealthCheck {
    private final KafkaClientService clients;
    private final ConsumerAssignments assignments;
    private volatile boolean reached;
    private Admin admin;

    ConsumersReadiness(KafkaClientService clients, @Identifier(ConsumerAssignments.NAME) ConsumerAssignments assignments) {
        this.clients = clients;
        this.assignments = assignments;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("kafka consumers assigned");
        if (reached) {
            return response.up().build();
        }
        boolean joined = true;
        Set<String> groups = new TreeSet<>();
        Map<String, ?> settings = Map.of();
        for (String channel : clients.getConsumerChannels()) {
            var consumers = clients.<Object, Object>getConsumers(channel);
            int waiting = consumers.isEmpty() ? 1 : 0;
            for (KafkaConsumer<Object, Object> consumer : consumers) {
                waiting += assignments.hasJoined(consumer.unwrap()) ? 0 : 1;
                settings = consumer.configuration();
                Object group = settings.get("group.id");
                if (group != null) {
                    groups.add(group.toString());
                }
            }
            response.withData(channel, waiting == 0 ? "joined" : waiting + " of " + Math.max(1, consumers.size()) + " joining");
            joined &= waiting == 0;
        }
        if (!joined) {
            return response.down().build();
        }
        List<String> unstable = unstable(groups, settings);
        response.withData("groups not yet stable", String.join(",", unstable));
        if (!unstable.isEmpty()) {
            return response.down().build();
        }
        reached = true;
        close();
        return response.up().build();
    }

    /** The groups whose members do not all hold their target assignment yet (all of them when the broker cannot say). */
    private synchronized List<String> unstable(Set<String> groups, Map<String, ?> consumerSettings) {
        if (groups.isEmpty()) {
            return List.of();
        }
        try {
            if (admin == null) {
                // the consumers' broker and sign-in: the group's Read ACL lets it describe the group
                admin = Admin.create(KafkaConnection.of(consumerSettings, "readiness"));
            }
            Map<String, ConsumerGroupDescription> described = admin.describeConsumerGroups(groups).all().get(3, TimeUnit.SECONDS);
            return described.values().stream().filter(g -> g.groupState() != GroupState.STABLE).map(ConsumerGroupDescription::groupId).toList();
        } catch (Exception e) {
            return List.copyOf(groups);
        }
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(2));
            admin = null;
        }
    }
}
