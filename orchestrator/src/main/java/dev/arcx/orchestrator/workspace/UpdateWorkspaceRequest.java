package dev.arcx.orchestrator.workspace;

import java.util.List;

/** Body of {@code PATCH /api/workspaces/{id}}: omitted fields stay as they are; applied at the next start. */
public record UpdateWorkspaceRequest(String resourceTierId, List<String> addonIds) {
}
