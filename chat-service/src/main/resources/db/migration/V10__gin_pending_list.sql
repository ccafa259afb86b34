-- A GIN index takes new entries into a pending list and merges the list into the index once it passes
-- gin_pending_list_limit (4 MB by default). The merge runs in the insert that passes the limit, while its transaction
-- holds its conversations' locks: in a benchmark at 80 messages/s one message insert took 783 ms (its mean 0.27 ms),
-- and every message of those conversations waited behind it. Autovacuum merges the list in the background only
-- between its runs, so a busy table still reaches the limit. A list of 256 kB is merged sixteen times as often, each
-- merge a sixteenth as long, for the same work in all. Messages' search entries come with every message; a
-- conversation's tags entry with every update of the conversation (updated_at is indexed, so no update is HOT).
-- Setting the parameter takes each index's exclusive lock for a moment, and inserts wait for it; it would itself wait
-- behind a long transaction on the table, with every insert queued behind it, so it gives up after 5 s instead (the
-- migration fails, the replica does not start, and the next start tries again).
SET LOCAL lock_timeout = '5s';
ALTER INDEX messages_search_idx SET (gin_pending_list_limit = 256);
ALTER INDEX conversations_tags_idx SET (gin_pending_list_limit = 256);
