package io.switchboard.common.messaging;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;

/**
 * Which of this replica's Kafka consumers have joined their group and been given their partitions (possibly none,
 * when the group has more consumers than partitions). Every incoming channel names it as its
 * {@code consumer-rebalance-listener.name}; {@link ConsumersReadiness} keeps the replica out of service until all have.
 * Partitions taken away are announced ({@link PartitionsRevoked}) to work that must end before they change hands.
 */
@ApplicationScoped
@Identifier(ConsumerAssignments.NAME)
public class ConsumerAssignments implements KafkaConsumerRebalanceListener {
    public static final String NAME = "switchboard-assignments";

    private final Set<Consumer<?, ?>> assigned = ConcurrentHashMap.newKeySet();
    private final Event<PartitionsRevoked> revoked;

    ConsumerAssignments(Event<PartitionsRevoked> revoked) {
        this.revoked = revoked;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        assigned.add(consumer);
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            revoked.fire(new PartitionsRevoked(partitions));
        }
    }

    public boolean hasJoined(Consumer<?, ?> consumer) {
        return assigned.contains(consumer);
    }
}
