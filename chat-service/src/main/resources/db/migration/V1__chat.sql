CREATE TABLE contacts (
    id               uuid PRIMARY KEY,
    first_name       text,
    last_name        text,
    email            text,
    phone            text,
    attributes       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    -- the contact's id on an external channel (Telegram chat id, Instagram-scoped user id)
    external_channel text,
    external_id      text,
    created_at       timestamptz NOT NULL
);
CREATE UNIQUE INDEX contacts_email_key ON contacts (lower(email)) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX contacts_external_key ON contacts (external_channel, external_id) WHERE external_id IS NOT NULL;

CREATE TABLE conversations (
    id               uuid PRIMARY KEY,
    contact_id       uuid        NOT NULL REFERENCES contacts (id),
    channel          text        NOT NULL,
    status           text        NOT NULL,
    tags             text[]      NOT NULL DEFAULT '{}',
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);
CREATE INDEX conversations_status_idx ON conversations (status, updated_at DESC);
CREATE INDEX conversations_tags_idx ON conversations USING gin (tags);
CREATE INDEX conversations_contact_idx ON conversations (contact_id, channel);

CREATE TABLE messages (
    id               uuid PRIMARY KEY,
    conversation_id  uuid        NOT NULL REFERENCES conversations (id),
    sender_type      text        NOT NULL,
    content          text        NOT NULL,
    message_type     text,
    metadata         jsonb       NOT NULL DEFAULT '{}'::jsonb,
    -- a message arriving twice (command redelivery, webhook retry) is stored once
    idempotency_key  text UNIQUE,
    delivery_status  text,
    delivery_error   text,
    delivery_attempts int        NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz,
    created_at       timestamptz NOT NULL
);
CREATE INDEX messages_conversation_idx ON messages (conversation_id, created_at, id);
CREATE INDEX messages_pending_delivery_idx ON messages (next_attempt_at) WHERE delivery_status = 'pending';

-- Transactional outbox: written in the same transaction as the change, published to Kafka by OutboxRelay.
CREATE TABLE outbox (
    seq              bigserial PRIMARY KEY,
    id               uuid        NOT NULL UNIQUE,
    aggregate_type   text        NOT NULL,
    aggregate_id     text        NOT NULL,
    type             text        NOT NULL,
    payload          jsonb       NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now()
);

-- Commands already applied, so that a redelivered one changes nothing twice.
CREATE TABLE processed_commands (
    id               text PRIMARY KEY,
    processed_at     timestamptz NOT NULL DEFAULT now()
);
