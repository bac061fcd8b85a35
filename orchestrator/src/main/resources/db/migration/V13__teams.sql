-- Teams (issue 3, seed 002's team plan): users share workspaces. A team's workspaces count against the team's plan
-- (team: 20), not their creator's; every member may use them as their owner does.
CREATE TABLE teams (
    id         UUID PRIMARY KEY,
    name       TEXT        NOT NULL,
    -- A DNS label made from the name, unique across the platform.
    slug       TEXT        NOT NULL UNIQUE,
    plan_id    TEXT        NOT NULL DEFAULT 'team' REFERENCES plans (id),
    created_by UUID        NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- One creator does not have two teams of one name (any case).
CREATE UNIQUE INDEX teams_creator_name_unique ON teams (created_by, lower(name));

CREATE TABLE team_members (
    team_id   UUID        NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id   UUID        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role      TEXT        NOT NULL CHECK (role IN ('owner', 'member')),
    joined_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user_idx ON team_members (user_id);

-- Invites address a GitHub login (matched in any case), so a user can be invited before their first sign-in.
CREATE TABLE team_invites (
    id          UUID PRIMARY KEY,
    team_id     UUID        NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    login       TEXT        NOT NULL,
    invited_by  UUID        NOT NULL REFERENCES users (id),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    accepted_at TIMESTAMPTZ,
    declined_at TIMESTAMPTZ
);
-- At most one open invite per team and login.
CREATE UNIQUE INDEX team_invites_pending_unique ON team_invites (team_id, lower(login))
    WHERE accepted_at IS NULL AND declined_at IS NULL;
CREATE INDEX team_invites_login_idx ON team_invites (lower(login));

ALTER TABLE workspaces ADD COLUMN team_id UUID REFERENCES teams (id);
CREATE INDEX workspaces_team_idx ON workspaces (team_id);

-- Who may use a workspace: the owner of a personal one; the members of a team's (its creator too only while a
-- member: one removed from the team loses the team's workspaces, whoever created them). Every user-facing workspace
-- query and the routing access check go through it, so the rule lives in one place.
CREATE FUNCTION may_use_workspace(owner_id UUID, team_id UUID, viewer UUID) RETURNS BOOLEAN
    LANGUAGE sql STABLE AS $$
    SELECT viewer IS NOT NULL AND CASE WHEN team_id IS NULL THEN owner_id = viewer ELSE EXISTS (
        SELECT 1 FROM team_members m WHERE m.team_id = may_use_workspace.team_id AND m.user_id = viewer) END
$$;
