package io.switchboard.common.messaging;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.reactive.messaging.spi.Connector;
import org.jboss.logging.Logger;

import io.quarkus.arc.ClientProxy;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.kafka.KafkaConnector;
import io.smallrye.reactive.messaging.kafka.impl.KafkaSource;

/**
 * Stops the Kafka consumers first when the service stops. Left alone, the connector closes only when the CDI container
 * goes, after Hibernate and the datasource are closed: records still being handled then failed ("EntityManagerFactory
 * is closed"), were retried for seconds and went to the dead-letter topic. Here the consumers stop polling, the
 * records in hand finish while the database is still there, their offsets are committed and each consumer leaves its
 * group, so another replica takes its partitions over at once; only then do the producers close.
 *
 * <p>All of a replica's consumers stop at once. The connector stops them one after another, and each pauses its
 * partitions and waits twice the poll timeout for the records in hand before it leaves: with four consumers per
 * channel that took ai-service 20 to 24 s (eight consumers), in which each consumer that left handed its partitions to
 * a sibling about to leave too. Stopped side by side they take one wait: a stop fits Kubernetes' grace period with
 * room for ai-service's answers in progress, which it drains first.
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
        List<KafkaSource<?, ?>> sources;
        try {
            sources = sourcesOf(ClientProxy.unwrap(kafka));
        } catch (IllegalStateException e) {
            LOG.warnf("%s: they stop one after another", e.getMessage());
            sources = List.of();
        }
        List<Thread> stopping = new ArrayList<>();
        for (KafkaSource<?, ?> source : sources) {
            stopping.add(Thread.ofPlatform().name("kafka-consumer-stop-", stopping.size()).start(source::closeQuietly));
        }
        for (Thread thread : stopping) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        // closes what is left: the producers, and any consumer the side-by-side stop did not reach (a closed one returns at once)
        kafka.terminate(null);
        LOG.infof("Kafka consumers (%d) stopped and left their groups in %d ms", sources.size(), (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * The connector's consumers. SmallRye keeps them in a private list and offers no stop of one consumer from outside;
     * should a new version rename the list, the connector stops them one after another as before (slower, still
     * correct), and {@code ConsumersStopFirstTest} fails so the upgrade is noticed.
     */
    @SuppressWarnings("unchecked")
    static List<KafkaSource<?, ?>> sourcesOf(KafkaConnector connector) {
        try {
            Field sources = KafkaConnector.class.getDeclaredField("sources");
            sources.setAccessible(true);
            return List.copyOf((List<KafkaSource<?, ?>>) sources.get(connector));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot reach the Kafka connector's consumers (" + e + ")", e);
        }
    }
}
