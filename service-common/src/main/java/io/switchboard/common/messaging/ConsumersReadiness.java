package io.switchboard.common.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;

/**
 * Ready only once every consumer of every incoming channel has its partitions: before that, a replica that says it
 * is ready would take no events (and a notifier replica, reading from the end, would miss the first ones), which is
 * how the first message after start-up used to wait for the groups to form.
 */
@Readiness
@ApplicationScoped
public class ConsumersReadiness implements HealthCheck {
    private final KafkaClientService clients;
    private final ConsumerAssignments assignments;

    ConsumersReadiness(KafkaClientService clients, @Identifier(ConsumerAssignments.NAME) ConsumerAssignments assignments) {
        this.clients = clients;
        this.assignments = assignments;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("kafka consumers assigned").up();
        for (String channel : clients.getConsumerChannels()) {
            int waiting = 0;
            var consumers = clients.<Object, Object>getConsumers(channel);
            for (KafkaConsumer<Object, Object> consumer : consumers) {
                waiting += assignments.hasJoined(consumer.unwrap()) ? 0 : 1;
            }
            response.withData(channel, consumers.isEmpty() ? "starting" : waiting == 0 ? "assigned" : waiting + " of " + consumers.size() + " joining");
            if (waiting > 0 || consumers.isEmpty()) {
                response.down();
            }
        }
        return response.build();
    }
}
