-- The trace of the change that wrote the row (W3C traceparent), so that the relay's record continues it.
ALTER TABLE outbox ADD COLUMN trace_parent text;
