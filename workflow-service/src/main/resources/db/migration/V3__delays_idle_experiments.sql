-- The rest of an execution that waits (a wait action): due at due_at, run once by whichever replica locks it first,
-- cancelled when the conversation is closed.
CREATE TABLE waiting_runs (
    id              uuid PRIMARY KEY,      -- derived from the execution and the wait's place, so a rerun makes the same
    execution_id    uuid        NOT NULL,
    workflow_id     uuid        NOT NULL,
    workflow_name   text        NOT NULL,
    conversation_id text        NOT NULL,
    first_index     int         NOT NULL,  -- the place in the workflow of the first action still to run
    actions         jsonb       NOT NULL,  -- those actions, as the workflow had them when it started
    event           jsonb       NOT NULL,  -- the event that started the execution: template values and cause
    due_at          timestamptz NOT NULL,
    status          text        NOT NULL,  -- waiting, done, cancelled
    updated_at      timestamptz NOT NULL
);
CREATE INDEX waiting_runs_due_idx ON waiting_runs (due_at) WHERE status = 'waiting';
CREATE INDEX waiting_runs_conversation_idx ON waiting_runs (conversation_id) WHERE status = 'waiting';

-- When each side of a conversation last wrote, for conversation_idle triggers.
CREATE TABLE conversation_clocks (
    conversation_id  text PRIMARY KEY,
    last_customer_at timestamptz,
    last_agent_at    timestamptz,
    last_reply_at    timestamptz,          -- our side: an agent, the AI or a workflow
    closed           boolean     NOT NULL DEFAULT false,
    snapshot         jsonb       NOT NULL, -- conversation and contact of the latest message: conditions and templates
    updated_at       timestamptz NOT NULL
);
CREATE INDEX conversation_clocks_customer_idx ON conversation_clocks (last_customer_at) WHERE NOT closed;
CREATE INDEX conversation_clocks_reply_idx ON conversation_clocks (last_reply_at) WHERE NOT closed;

-- Each idle trigger fires once per wait (the wait starts at the message the conversation waits after).
CREATE TABLE idle_firings (
    workflow_id     uuid        NOT NULL,
    conversation_id text        NOT NULL,
    wait_started_at timestamptz NOT NULL,
    fired_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workflow_id, conversation_id, wait_started_at)
);

-- A/B tests of AI prompts: the variant each conversation got, its AI replies, and whether it was handed to a person.
CREATE TABLE experiment_conversations (
    workflow_id            uuid        NOT NULL,
    conversation_id        text        NOT NULL,
    variant                text        NOT NULL,
    assigned_at            timestamptz NOT NULL,
    ai_replies             int         NOT NULL DEFAULT 0,
    handed_off_at          timestamptz,
    replies_before_handoff int,
    PRIMARY KEY (workflow_id, conversation_id)
);
CREATE INDEX experiment_conversations_conversation_idx ON experiment_conversations (conversation_id);
