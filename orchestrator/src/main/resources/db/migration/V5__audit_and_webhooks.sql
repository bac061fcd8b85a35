-- Who did what to which object, from where (issue 4). seq orders the log and is the paging cursor.
CREATE TABLE audit_log (
    seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id          UUID        NOT NULL UNIQUE,
    actor       TEXT        NOT NULL,
    action      TEXT        NOT NULL,
    target_type TEXT        NOT NULL,
    target_id   TEXT        NOT NULL,
    source_ip   TEXT,
    occurred_at TIMESTAMPTZ NOT NULL,
    details     JSONB       NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_occurred_at_idx ON audit_log (occurred_at);
CREATE INDEX audit_log_actor_idx ON audit_log (actor, seq);
CREATE INDEX audit_log_target_idx ON audit_log (target_id, seq);

-- A user's outbound webhooks; events holds the event names a hook wants (NULL: all). The signing secret is kept as is: it must sign every delivery (it is no password).
CREATE TABLE webhooks (
    id         UUID PRIMARY KEY,
    owner_id   UUID        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    url        TEXT        NOT NULL,
    events     TEXT[],
    secret     TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX webhooks_owner_idx ON webhooks (owner_id);

-- One event for one hook; pending rows are what the deliverer works on, also after a restart.
CREATE TABLE webhook_deliveries (
    id                 UUID PRIMARY KEY,
    webhook_id         UUID        NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_id           UUID        NOT NULL,
    event              TEXT        NOT NULL,
    payload            TEXT        NOT NULL,
    status             TEXT        NOT NULL DEFAULT 'pending',
    attempts           INTEGER     NOT NULL DEFAULT 0,
    next_attempt_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_response_code INTEGER,
    last_error         TEXT,
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- An event seen twice (a redelivered message) is delivered once per hook.
    CONSTRAINT webhook_deliveries_once UNIQUE (webhook_id, event_id),
    CONSTRAINT webhook_deliveries_status_known CHECK (status IN ('pending', 'succeeded', 'failed'))
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_webhook_idx ON webhook_deliveries (webhook_id, created_at);
