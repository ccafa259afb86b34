-- When a customer edited a message on their platform (Telegram edited_message): the text is the edited one.
ALTER TABLE messages ADD COLUMN edited_at timestamptz;
-- Finding the stored message an edit is about: its platform id, per conversation.
CREATE INDEX messages_telegram_message_idx ON messages (conversation_id, (metadata ->> 'telegram_message_id'))
    WHERE metadata ? 'telegram_message_id';
