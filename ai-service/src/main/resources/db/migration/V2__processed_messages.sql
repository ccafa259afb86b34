-- One shape for the log of consumed records in every service (service-common ProcessedLog): the id of each record a
-- consumer has processed, so a redelivered one changes nothing twice. The rows kept so far belong to consumer 'reply-requests'.
ALTER TABLE processed_commands RENAME TO processed_messages;
ALTER TABLE processed_messages RENAME COLUMN id TO message_id;
ALTER TABLE processed_messages ADD COLUMN consumer text NOT NULL DEFAULT 'reply-requests';
ALTER TABLE processed_messages ALTER COLUMN consumer DROP DEFAULT;
ALTER TABLE processed_messages DROP CONSTRAINT processed_commands_pkey;
ALTER TABLE processed_messages ADD PRIMARY KEY (consumer, message_id);
