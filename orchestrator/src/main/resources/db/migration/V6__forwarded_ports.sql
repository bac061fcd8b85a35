-- Ports a workspace's owner forwards through the edge proxy, each with who may reach it (seed 003's allowed ports
-- plus the selection's add-on ports; checked by the service). The routes reach the container's labels when it is
-- next (re)created.
CREATE TABLE forwarded_ports (
    workspace_id UUID        NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    port         INTEGER     NOT NULL,
    share        TEXT        NOT NULL DEFAULT 'owner',
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, port),
    CONSTRAINT forwarded_ports_port_range CHECK (port BETWEEN 1 AND 65535),
    CONSTRAINT forwarded_ports_share_known CHECK (share IN ('owner', 'authenticated', 'public'))
);

-- Forward-auth finds a workspace by the lower-cased login in its host name, on every proxied request.
CREATE INDEX users_login_lower_idx ON users (lower(login));
