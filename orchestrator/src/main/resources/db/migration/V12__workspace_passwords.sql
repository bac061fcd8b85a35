-- Workspace passwords (seed 003). Only hashes: bcrypt (cost 10) for the API's checks on stop, delete and password
-- changes; argon2id (PHC string) for code-server, which the orchestrator writes into the workspace's home.
ALTER TABLE workspaces ADD COLUMN password_hash TEXT;
ALTER TABLE workspaces ADD COLUMN ide_password_hash TEXT;
-- True once a password was ever set: from then on every start writes the IDE's auth file from these columns (auth
-- none after a removal), so a write the engine missed heals at the next start. Never-protected workspaces keep the
-- image's own configuration.
ALTER TABLE workspaces ADD COLUMN ide_auth_managed BOOLEAN NOT NULL DEFAULT false;
