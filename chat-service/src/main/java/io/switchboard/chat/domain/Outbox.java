package io.switchboard.chat.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.Json;

/** Writes events into the outbox table inside the caller's transaction; the relay publishes them after commit. */
@ApplicationScoped
public class Outbox {
    /** Fired on each write; observed after commit to wake the relay at once instead of at its next poll. */
    public record Written() {
    }

    private final Event<Written> written;

    Outbox(Event<Written> written) {
        this.written = written;
    }

    /** The current span as a W3C traceparent: the request or the consumed command this change belongs to. */
    static String traceParent() {
        SpanContext span = Span.current().getSpanContext();
        return span.isValid() ? "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex() : null;
    }

    /** The kind of thing an outbox row is about, which is also the topic it goes to. */
    public static final String CONVERSATION = "conversation";
    public static final String AGENT = "agent";

    /** A conversation's event, for {@code switchboard.chat-events}, keyed by the conversation. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void add(Envelope envelope) {
        add(CONVERSATION, envelope);
    }

    /** An agent account's event, for {@code switchboard.agent-events}, keyed by the agent. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void addAgentEvent(Envelope envelope) {
        add(AGENT, envelope);
    }

    private void add(String aggregateType, Envelope envelope) {
        var row = new OutboxEvent();
        row.id = UUID.fromString(envelope.id());
        row.aggregateType = aggregateType;
        row.aggregateId = envelope.subject();
        row.type = envelope.type();
        row.payload = Json.write(envelope);
        row.createdAt = Instant.now();
        row.traceParent = traceParent();
        row.persist();
        written.fire(new Written());
    }
}
