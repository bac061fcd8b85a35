-- Idle auto-stop and maximum lifetime (seed 002). Activity is kept in memory and flushed here every few seconds,
-- so a restart of the orchestrator does not forget it; both columns are set to now() when the workspace reaches
-- running, so a workspace nobody has touched yet counts as active from its start.
ALTER TABLE workspaces
    ADD COLUMN last_active_at TIMESTAMPTZ,
    ADD COLUMN started_at     TIMESTAMPTZ;

-- Workspaces already running when this arrives count from now: without a start or an activity time they would never
-- be stopped.
UPDATE workspaces SET last_active_at = now(), started_at = now() WHERE status = 'running';
