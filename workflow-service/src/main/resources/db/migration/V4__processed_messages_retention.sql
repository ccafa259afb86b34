-- The retention job deletes processed ids by age (RetentionJob): a BRIN index finds the old ones without reading the
-- whole table, and costs next to nothing per insert, since rows arrive in processed_at order.
CREATE INDEX processed_messages_processed_at_idx ON processed_messages USING brin (processed_at);
