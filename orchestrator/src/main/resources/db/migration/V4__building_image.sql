-- Workspaces wait in 'building-image' while the image-builder makes their image (issue 6).
ALTER TABLE workspaces DROP CONSTRAINT workspaces_status_known;
ALTER TABLE workspaces ADD CONSTRAINT workspaces_status_known CHECK (status IN
    ('creating', 'building-image', 'starting', 'running', 'stopping', 'stopped', 'failed', 'deleting'));
-- The image a building-image workspace waits for: the image-builder's events name images, not workspaces.
ALTER TABLE workspaces ADD COLUMN awaited_image TEXT;
CREATE INDEX workspaces_awaited_image_idx ON workspaces (awaited_image) WHERE awaited_image IS NOT NULL;
