package io.switchboard.common.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.jboss.logging.MDC;

import io.switchboard.common.domain.DomainException;
import io.switchboard.common.logging.ConversationLog;
import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.EventType;
import io.switchboard.contracts.Json;

class EnvelopeConsumerTest {
    private static final String RECORD = Json.write(Envelope.of(EventType.TAG_ADDED, "test", "conv-7", null, Json.object().put("tag", "vip")));

    @Test
    void theWorkSeesTheEnvelopeWithItsConversationInTheLogContext() throws Exception {
        AtomicReference<Object> logged = new AtomicReference<>();
        AtomicReference<Envelope> seen = new AtomicReference<>();
        EnvelopeConsumer.consume(RECORD, envelope -> {
            seen.set(envelope);
            logged.set(MDC.get(ConversationLog.KEY));
        });
        assertEquals("vip", seen.get().text("tag"));
        assertEquals("conv-7", logged.get());
        assertEquals(null, MDC.get(ConversationLog.KEY), "the context is cleared afterwards");
    }

    @Test
    void aRecordThatIsNoEnvelopeFailsAtOnce() {
        AtomicInteger runs = new AtomicInteger();
        assertThrows(IllegalArgumentException.class, () -> EnvelopeConsumer.consume("{\"hello\": 1}", envelope -> runs.incrementAndGet()));
        assertEquals(0, runs.get());
    }

    @Test
    void aRefusalIsNotRetried() {
        AtomicInteger runs = new AtomicInteger();
        assertThrows(DomainException.class, () -> EnvelopeConsumer.consume(RECORD, envelope -> {
            runs.incrementAndGet();
            throw DomainException.invalid("tag", "no such tag");
        }));
        assertEquals(1, runs.get());
    }

    @Test
    void anotherFailureIsRetriedUntilItSucceeds() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        EnvelopeConsumer.consume(RECORD, envelope -> {
            if (runs.incrementAndGet() < 3) {
                throw new IllegalStateException("flaky");
            }
        });
        assertEquals(3, runs.get());
    }

    @Test
    void anOutageIsWaitedOutWithoutUsingUpTheRetries() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        EnvelopeConsumer.consume(RECORD, envelope -> {
            if (runs.incrementAndGet() <= EnvelopeConsumer.MAX_RETRIES + 1) {
                throw new SQLException("the database system is starting up", "57P03");
            }
        });
        assertEquals(EnvelopeConsumer.MAX_RETRIES + 2, runs.get());
    }
}
