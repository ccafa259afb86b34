-- Who switched the AI off: 'agent' (by hand in the inbox) or 'workflow' (a handoff action); null while it is on.
ALTER TABLE ai_state ADD COLUMN disabled_by text;
-- The A/B test variant that chose the custom prompt ({"workflow_id", "name"}), carried into every AI reply's metadata.
ALTER TABLE ai_state ADD COLUMN prompt_variant jsonb;
