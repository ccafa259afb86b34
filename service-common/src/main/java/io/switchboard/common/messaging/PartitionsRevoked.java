package io.switchboard.common.messaging;

import java.util.Collection;

import org.apache.kafka.common.TopicPartition;

/**
 * Fired (synchronously, on the consumer's polling thread) when a rebalance takes partitions away from one of this
 * replica's consumers: the partitions go to their new owner when the observers return.
 */
public record PartitionsRevoked(Collection<TopicPartition> partitions) {
}
