-- Workspace clones (seed 000's clone flow). A clone is an ordinary workspace that remembers its source: no foreign
-- key, so the reference outlives a deleted source as the record of where the clone came from.
ALTER TABLE workspaces ADD COLUMN cloned_from UUID;
-- True from the clone request until the source's files are in the clone's volume. A clone still copying when the
-- orchestrator starts was interrupted: it fails rather than come up with half its files.
ALTER TABLE workspaces ADD COLUMN cloning BOOLEAN NOT NULL DEFAULT false;
