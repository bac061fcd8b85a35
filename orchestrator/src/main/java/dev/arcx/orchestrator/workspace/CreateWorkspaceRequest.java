package dev.arcx.orchestrator.workspace;

import java.util.List;

/**
 * Body of {@code POST /api/workspaces}; an omitted tier or flavor takes the catalog's default. With
 * {@code passwordProtected: true}, {@code password} (8-50 characters) protects stop, delete and the IDE.
 */
public record CreateWorkspaceRequest(String name, String resourceTierId, String flavorId, List<String> addonIds,
        Boolean passwordProtected, String password) {
}
