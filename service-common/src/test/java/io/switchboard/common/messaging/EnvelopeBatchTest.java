package io.switchboard.common.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jboss.logging.MDC;
import org.junit.jupiter.api.Test;

import io.opentelemetry.api.trace.Span;
import io.switchboard.common.domain.DomainException;
import io.switchboard.common.logging.ConversationLog;
import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.EventType;
import io.switchboard.contracts.Json;

class EnvelopeBatchTest {
    private static EnvelopeBatch.Received record(String conversation, String tag) {
        return new EnvelopeBatch.Received(Json.write(Envelope.of(EventType.TAG_ADDED, "test", conversation, null,
                Json.object().put("tag", tag))), new RecordHeaders());
    }

    private static List<String> tags(List<EnvelopeBatch.Item> items) {
        return items.stream().map(i -> i.envelope().text("tag")).toList();
    }

    @Test
    void theHandlerGetsTheWholeBatchInOrderOnce() {
        List<List<String>> calls = new ArrayList<>();
        var failures = EnvelopeBatch.handle(List.of(record("a", "1"), record("b", "2"), record("a", "3")), items -> calls.add(tags(items)));
        assertEquals(List.of(List.of("1", "2", "3")), calls);
        assertEquals(3, failures.size());
        failures.forEach(f -> assertNull(f));
    }

    @Test
    void aRecordThatIsNoEnvelopeFailsAloneAndAtOnce() {
        List<List<String>> calls = new ArrayList<>();
        var failures = EnvelopeBatch.handle(List.of(record("a", "1"), new EnvelopeBatch.Received("{\"hello\": 1}", new RecordHeaders()),
                record("a", "3")), items -> calls.add(tags(items)));
        assertEquals(List.of(List.of("1", "3")), calls);
        assertNull(failures.get(0));
        assertInstanceOf(IllegalArgumentException.class, failures.get(1));
        assertNull(failures.get(2));
    }

    @Test
    void aRefusedRecordIsFoundOneByOneAndOnlyItFails() {
        List<List<String>> calls = new ArrayList<>();
        var failures = EnvelopeBatch.handle(List.of(record("a", "1"), record("b", "bad"), record("c", "3")), items -> {
            calls.add(tags(items));
            if (tags(items).contains("bad")) {
                throw DomainException.invalid("tag", "no such tag");
            }
        });
        // refusals are not retried: the batch once, then each record alone
        assertEquals(List.of(List.of("1", "bad", "3"), List.of("1"), List.of("bad"), List.of("3")), calls);
        assertNull(failures.get(0));
        assertInstanceOf(DomainException.class, failures.get(1));
        assertNull(failures.get(2));
    }

    @Test
    void anotherFailureIsRetriedUntilItSucceeds() {
        AtomicInteger runs = new AtomicInteger();
        var failures = EnvelopeBatch.handle(List.of(record("a", "1"), record("b", "2")), items -> {
            if (runs.incrementAndGet() < 3) {
                throw new IllegalStateException("flaky");
            }
        });
        assertEquals(3, runs.get());
        failures.forEach(f -> assertNull(f));
    }

    @Test
    void anOutageIsWaitedOutWithoutUsingUpTheRetries() {
        AtomicInteger runs = new AtomicInteger();
        var failures = EnvelopeBatch.handle(List.of(record("a", "1")), items -> {
            if (runs.incrementAndGet() <= ConsumerRetries.MAX_RETRIES + 1) {
                throw new SQLException("the database system is starting up", "57P03");
            }
        });
        assertEquals(ConsumerRetries.MAX_RETRIES + 2, runs.get());
        assertNull(failures.get(0));
    }

    @Test
    void workInARecordsTraceSeesItsTraceAndConversation() throws Exception {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        var headers = new RecordHeaders().add("traceparent", ("00-" + traceId + "-00f067aa0ba902b7-01").getBytes(StandardCharsets.UTF_8));
        var traced = new EnvelopeBatch.Received(record("conv-7", "vip").payload(), headers);
        List<String> seen = new ArrayList<>();
        EnvelopeBatch.handle(List.of(traced, record("conv-8", "plain")), items -> {
            for (var item : items) {
                item.inTrace(() -> {
                    seen.add(Span.current().getSpanContext().getTraceId() + " " + MDC.get(ConversationLog.KEY));
                });
            }
        });
        assertEquals(List.of(traceId + " conv-7", "00000000000000000000000000000000 conv-8"), seen);
        assertNull(MDC.get(ConversationLog.KEY), "the log context is cleared afterwards");
        assertEquals(false, Span.current().getSpanContext().isValid(), "the trace is left afterwards");
    }

    @Test
    void turnsHoldOneRecordPerConversationInOrder() {
        List<List<String>> turns = new ArrayList<>();
        EnvelopeBatch.handle(List.of(record("a", "a1"), record("b", "b1"), record("a", "a2"), record("a", "a3"), record("c", "c1"),
                record("b", "b2")), items -> EnvelopeBatch.turns(items).forEach(turn -> turns.add(tags(turn))));
        assertEquals(List.of(List.of("a1", "b1", "c1"), List.of("a2", "b2"), List.of("a3")), turns);
    }
}
