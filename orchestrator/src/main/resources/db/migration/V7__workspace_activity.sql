-- Idle auto-stop and maximum lifetime (seed 002). Activity is kept in memory and flushed here every few seconds,
-- so a restart of the orchestrator does not forget it; both columns are set to now() when the workspace reaches
-- running, so a workspace nobody has touched yet counts as active from its start.
ALTER TABLE workspaces
    ADD COLUMN last_active_at TIMESTAMPTZ,
    ADD COLUMN started_at     TIMESTAMPTZ;
