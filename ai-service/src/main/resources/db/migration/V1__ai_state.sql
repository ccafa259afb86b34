-- The durable copy of each conversation's AI control and context. Redis holds the working copy under the seed's
-- keys (ai_control_{id}, ai_context_{id}); when Redis loses them (flush, restart), they are rebuilt from here.
CREATE TABLE ai_state (
    conversation_id text PRIMARY KEY,
    ai_enabled      boolean     NOT NULL DEFAULT true,
    custom_prompt   text,
    context         jsonb       NOT NULL DEFAULT '{}'::jsonb,
    expires_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);

-- reply requests already answered (or skipped), so a redelivery makes no second model call
CREATE TABLE processed_commands (
    id           text PRIMARY KEY,
    processed_at timestamptz NOT NULL DEFAULT now()
);
