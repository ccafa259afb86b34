package io.switchboard.common.messaging;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.reactive.messaging.spi.Connector;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.kafka.KafkaConnector;

/**
 * Stops the Kafka consumers first when the service stops. Left alone, the connector closes only when the CDI container
 * goes, after Hibernate and the datasource are closed: records still being handled then failed ("EntityManagerFactory
 * is closed"), were retried for seconds and went to the dead-letter topic. Here the consumers stop polling, the
 * records in hand finish while the database is still there, their offsets are committed and each consumer leaves its
 * group, so another replica takes its partitions over at once; only then do the producers close.
 */
@ApplicationScoped
public class ConsumersStopFirst {
    private static final Logger LOG = Logger.getLogger(ConsumersStopFirst.class);

    private final KafkaConnector kafka;

    ConsumersStopFirst(@Connector(KafkaConnector.CONNECTOR_NAME) KafkaConnector kafka) {
        this.kafka = kafka;
    }

    void stop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent shutdown) {
        long started = System.nanoTime();
        kafka.terminate(null);
        LOG.infof("Kafka consumers stopped and left their groups in %d ms", (System.nanoTime() - started) / 1_000_000);
    }
}
