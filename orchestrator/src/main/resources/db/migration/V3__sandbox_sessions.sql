-- Persistent per-user sandboxes (seed 004): the container lives as long as the row; files stay between runs.
CREATE TABLE sandbox_sessions (
    id           UUID PRIMARY KEY,
    owner_id     UUID        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    container    TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_used_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX sandbox_sessions_owner_idx ON sandbox_sessions (owner_id);
CREATE INDEX sandbox_sessions_last_used_idx ON sandbox_sessions (last_used_at);
