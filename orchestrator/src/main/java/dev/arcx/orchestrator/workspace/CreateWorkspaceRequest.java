package dev.arcx.orchestrator.workspace;

import java.util.List;

/** Body of {@code POST /api/workspaces}; an omitted tier or flavor takes the catalog's default. */
public record CreateWorkspaceRequest(String name, String resourceTierId, String flavorId, List<String> addonIds) {
}
