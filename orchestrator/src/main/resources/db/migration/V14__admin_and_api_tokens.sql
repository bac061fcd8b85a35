-- Administrators among users, suspension, and personal API tokens users manage themselves (issue 3, seed 002).

-- is_admin gives the admin role next to the user role; arcx.admin-logins sets it at GitHub sign-in, the admin API
-- changes it. A suspended user (suspended_at set) is refused everywhere: tokens, session cookies, sign-in.
ALTER TABLE users
    ADD COLUMN is_admin          BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN suspended_at      TIMESTAMPTZ,
    ADD COLUMN suspension_reason TEXT;

-- A token is good until it expires (NULL: never) or is revoked; the row stays for the listing and the audit trail.
ALTER TABLE api_tokens
    ADD COLUMN name       TEXT NOT NULL DEFAULT 'token',
    ADD COLUMN expires_at TIMESTAMPTZ,
    ADD COLUMN revoked_at TIMESTAMPTZ;
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id, created_at);
