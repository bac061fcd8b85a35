-- Plans of seed 002 and how many workspaces each allows.
CREATE TABLE plans (
    id             TEXT PRIMARY KEY,
    name           TEXT    NOT NULL,
    max_workspaces INTEGER NOT NULL
);
INSERT INTO plans VALUES ('free', 'Free', 1), ('pro', 'Pro', 5), ('team', 'Team', 20);

CREATE TABLE users (
    id         UUID PRIMARY KEY,
    login      TEXT        NOT NULL UNIQUE,
    plan_id    TEXT        NOT NULL REFERENCES plans (id),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Only the SHA-256 of a personal API token is kept; the token itself is shown once.
CREATE TABLE api_tokens (
    id             UUID PRIMARY KEY,
    user_id        UUID        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash     TEXT        NOT NULL UNIQUE,
    display_prefix TEXT        NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_used_at   TIMESTAMPTZ
);

CREATE TABLE workspaces (
    id               UUID PRIMARY KEY,
    owner_id         UUID        NOT NULL REFERENCES users (id),
    name             TEXT        NOT NULL,
    resource_tier_id TEXT        NOT NULL REFERENCES resource_tiers (id),
    flavor_id        TEXT        NOT NULL REFERENCES container_flavors (id),
    addon_ids        TEXT        NOT NULL DEFAULT '[]',
    status           TEXT        NOT NULL,
    status_reason    TEXT,
    container_id     TEXT,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT workspaces_owner_name_unique UNIQUE (owner_id, name),
    CONSTRAINT workspaces_status_known CHECK (status IN
        ('creating', 'starting', 'running', 'stopping', 'stopped', 'failed', 'deleting'))
);
CREATE INDEX workspaces_status_idx ON workspaces (status);
