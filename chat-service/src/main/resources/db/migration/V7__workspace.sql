-- Private notes: agents' messages to each other, stored with the conversation, never shown or sent to the customer.
ALTER TABLE messages ADD COLUMN private boolean NOT NULL DEFAULT false;

-- Search: message text and contact names and emails, by words in any language (the 'simple' configuration: no
-- stemming, no stop words, since customers write in many languages). Generated columns keep the index in step.
ALTER TABLE messages ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('simple', content)) STORED;
CREATE INDEX messages_search_idx ON messages USING gin (search);
-- Newest first: a common word's matches are read from here until enough are found, instead of all of them from the GIN
-- index (see Search).
CREATE INDEX messages_created_idx ON messages (created_at);
ALTER TABLE contacts ADD COLUMN search tsvector GENERATED ALWAYS AS (
    to_tsvector('simple', coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(email, '')
        || ' ' || replace(coalesce(email, ''), '@', ' '))) STORED;
CREATE INDEX contacts_search_idx ON contacts USING gin (search);

-- Canned responses: the team's stock answers, a template each, picked by short code.
CREATE TABLE canned_responses (
    id uuid PRIMARY KEY,
    short_code text NOT NULL,
    content text NOT NULL,
    created_by uuid,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX canned_responses_short_code_idx ON canned_responses (lower(short_code));

-- How far each agent has read each conversation: the created_at of the last message they saw.
CREATE TABLE conversation_reads (
    agent_id uuid NOT NULL,
    conversation_id uuid NOT NULL REFERENCES conversations (id),
    read_up_to timestamptz NOT NULL,
    PRIMARY KEY (agent_id, conversation_id)
);

-- Customer satisfaction: asked when a conversation is resolved, answered once. resolved_at: the latest resolution.
ALTER TABLE conversations ADD COLUMN resolved_at timestamptz;
ALTER TABLE conversations ADD COLUMN rating_requested_at timestamptz;
ALTER TABLE conversations ADD COLUMN rating smallint CHECK (rating BETWEEN 1 AND 5);
ALTER TABLE conversations ADD COLUMN rated_at timestamptz;
CREATE INDEX conversations_created_idx ON conversations (created_at);
