-- The delivery poll (OutboundDelivery, once a second per replica) takes the oldest due pending message. The index it
-- had was on next_attempt_at, not the poll's order: a planner without fresh statistics (before an analyze of a grown
-- table) walked messages_created_idx from the oldest message and filtered every web message out of it, which at
-- 60,000 messages took 39 ms a poll, growing with the table. Pending messages, in the poll's order, are a few rows.
-- Concurrently: on a large messages table a plain build would hold inserts back for as long as it reads the table.
CREATE INDEX CONCURRENTLY IF NOT EXISTS messages_due_delivery_idx ON messages (created_at, id) WHERE delivery_status = 'pending';
DROP INDEX CONCURRENTLY IF EXISTS messages_pending_delivery_idx;
