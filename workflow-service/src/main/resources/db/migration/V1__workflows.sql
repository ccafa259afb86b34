CREATE TABLE workflows (
    id           uuid PRIMARY KEY,
    name         text        NOT NULL,
    status       text        NOT NULL,
    trigger_type text        NOT NULL,
    -- the workflow document as the author wrote it (validated)
    document     jsonb       NOT NULL,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL
);
CREATE INDEX workflows_active_idx ON workflows (status, trigger_type);

CREATE TABLE executions (
    id              uuid PRIMARY KEY,
    workflow_id     uuid        NOT NULL,
    event_id        text        NOT NULL,
    event_type      text        NOT NULL,
    conversation_id text        NOT NULL,
    outcome         text        NOT NULL,
    -- each action with its outcome or error
    actions         jsonb       NOT NULL,
    event           jsonb       NOT NULL,
    depth           int         NOT NULL,
    started_at      timestamptz NOT NULL,
    duration_ms     double precision NOT NULL
);
CREATE INDEX executions_workflow_idx ON executions (workflow_id, started_at DESC);

-- events already handled, so that a redelivered event runs no workflow twice
CREATE TABLE processed_events (
    id           text PRIMARY KEY,
    processed_at timestamptz NOT NULL DEFAULT now()
);
