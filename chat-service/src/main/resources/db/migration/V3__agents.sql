-- Agent accounts: who answers, with which role. Emails are compared lower-cased.
CREATE TABLE agents (
    id uuid PRIMARY KEY,
    email text NOT NULL,
    name text NOT NULL,
    role text NOT NULL CHECK (role IN ('agent', 'admin')),
    password_hash text NOT NULL,
    active boolean NOT NULL DEFAULT true,
    -- access tokens issued before this moment no longer count (set on deactivation)
    tokens_not_before timestamptz NOT NULL,
    -- the last conversation this agent was given by round robin, to pick the next agent fairly
    last_assigned_at timestamptz,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX agents_email_idx ON agents (lower(email));

-- Failed sign-ins in a row, per email and per client address; a key that reaches the limit is locked for a while.
CREATE TABLE login_failures (
    key text PRIMARY KEY,
    failures int NOT NULL,
    locked_until timestamptz,
    updated_at timestamptz NOT NULL
);

-- Who a conversation is assigned to, and who wrote each of our side's messages.
ALTER TABLE conversations ADD COLUMN assignee_id uuid;
CREATE INDEX conversations_assignee_idx ON conversations (assignee_id, updated_at DESC);
ALTER TABLE messages ADD COLUMN sender_id uuid;
ALTER TABLE messages ADD COLUMN sender_name text;
