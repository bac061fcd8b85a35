-- Sign-in and sessions, signup modes, invite codes, the waitlist and inbound webhooks (issue 3, seed 002).

-- The GitHub account a user signs in with. github_id is what identifies them: a login can be renamed on GitHub.
-- Users made by the admin API or the development sign-in have none until they first sign in with GitHub.
ALTER TABLE users
    ADD COLUMN github_id          BIGINT UNIQUE,
    ADD COLUMN avatar_url         TEXT,
    ADD COLUMN stripe_customer_id TEXT UNIQUE,
    ADD COLUMN updated_at         TIMESTAMPTZ NOT NULL DEFAULT now();
ALTER TABLE users ADD COLUMN IF NOT EXISTS name TEXT;
ALTER TABLE users ADD COLUMN IF NOT EXISTS email TEXT;

-- Invite codes of the closed beta: max_uses sign-ups each, until expires_at (NULL: no expiry) or revocation.
CREATE TABLE invites (
    id         UUID PRIMARY KEY,
    code       TEXT        NOT NULL UNIQUE,
    note       TEXT,
    max_uses   INTEGER     NOT NULL,
    uses       INTEGER     NOT NULL DEFAULT 0,
    expires_at TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT invites_uses_bounded CHECK (max_uses >= 1 AND uses >= 0 AND uses <= max_uses)
);
ALTER TABLE users ADD COLUMN invite_id UUID REFERENCES invites (id) ON DELETE SET NULL;

-- People who signed in with GitHub without a way in; an admin's approval gives them a one-use invite, which their
-- next sign-in redeems by itself.
CREATE TABLE waitlist (
    id          UUID PRIMARY KEY,
    github_id   BIGINT      NOT NULL UNIQUE,
    login       TEXT        NOT NULL,
    name        TEXT,
    email       TEXT,
    avatar_url  TEXT,
    reason      TEXT        NOT NULL,
    joined_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    approved_at TIMESTAMPTZ,
    invite_id   UUID REFERENCES invites (id) ON DELETE SET NULL
);
CREATE INDEX waitlist_joined_idx ON waitlist (joined_at);

-- One row per sign-in. A session token is good while its row is unrevoked (and the token unexpired): logout and a
-- new sign-in from the same browser end exactly one session. Checked with the user row in one primary-key lookup.
CREATE TABLE sessions (
    id         UUID PRIMARY KEY,
    user_id    UUID        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    via        TEXT        NOT NULL,
    source_ip  TEXT,
    user_agent TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ,
    CONSTRAINT sessions_via_known CHECK (via IN ('github', 'dev'))
);
CREATE INDEX sessions_user_idx ON sessions (user_id) WHERE revoked_at IS NULL;

-- Webhook events received from Stripe and GitHub, by their own ids: a redelivery is answered without acting twice.
CREATE TABLE inbound_events (
    source      TEXT        NOT NULL,
    event_id    TEXT        NOT NULL,
    event_type  TEXT        NOT NULL,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (source, event_id),
    CONSTRAINT inbound_events_source_known CHECK (source IN ('stripe', 'github'))
);
