package io.switchboard.common.work;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.vertx.redis.client.impl.types.ErrorType;

class OutagesTest {
    @Test
    void aDependencyThatIsDownIsToldFromABadRecord() {
        assertTrue(Outages.isOutage(new RuntimeException("wrapped", new SQLException("connection refused", "08001"))));
        assertTrue(Outages.isOutage(new SQLException("terminating connection due to administrator command", "57P01")));
        assertTrue(Outages.isOutage(new IllegalStateException(new ConnectException("Connection refused"))));
        assertTrue(Outages.isOutage(new org.apache.kafka.common.errors.TimeoutException("no broker")));
        // Agroal's pool without a free connection in time, under Hibernate's wrapping
        assertTrue(Outages.isOutage(new RuntimeException("Unable to acquire JDBC Connection", new SQLException(Outages.POOL_EXHAUSTED))));
        // Redis: a command's connection dropped as the server went down, or the server loading its data after a start
        assertTrue(Outages.isOutage(new java.util.concurrent.CompletionException(ErrorType.create("CONNECTION_CLOSED"))));
        assertTrue(Outages.isOutage(ErrorType.create("LOADING Redis is loading the dataset in memory")));
        assertFalse(Outages.isOutage(ErrorType.create("WRONGTYPE Operation against a key holding the wrong kind of value")));
        assertFalse(Outages.isOutage(new SQLException("Sorry, something else")));
        assertFalse(Outages.isOutage(new SQLException("duplicate key", "23505")));
        assertFalse(Outages.isOutage(new IllegalArgumentException("not an envelope")));
        assertFalse(Outages.isOutage(new NullPointerException()));
    }

    @Test
    void anOutageIsWaitedOutAndTheWorkRunsAgain() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        Outages.waitOut(Duration.ofSeconds(10), () -> {
            if (attempts.incrementAndGet() < 3) {
                throw new SQLException("the database system is starting up", "57P03");
            }
        });
        assertEquals(3, attempts.get());
    }

    @Test
    void aBadRecordFailsAtOnce() {
        AtomicInteger attempts = new AtomicInteger();
        assertThrows(IllegalArgumentException.class, () -> Outages.waitOut(Duration.ofSeconds(10), () -> {
            attempts.incrementAndGet();
            throw new IllegalArgumentException("unknown command type");
        }));
        assertEquals(1, attempts.get());
    }

    @Test
    void anOutageLongerThanThePatienceIsGivenUpOn() {
        AtomicInteger attempts = new AtomicInteger();
        var gaveUp = assertThrows(Outages.PatienceExhausted.class, () -> Outages.waitOut(Duration.ofMillis(700), () -> {
            attempts.incrementAndGet();
            throw new ConnectException("Connection refused");
        }));
        assertTrue(attempts.get() >= 2, "tried more than once: " + attempts.get());
        assertTrue(gaveUp.getCause() instanceof ConnectException);
    }
}
