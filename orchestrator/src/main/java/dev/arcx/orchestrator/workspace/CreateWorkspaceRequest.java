package dev.arcx.orchestrator.workspace;

import java.util.List;
import java.util.UUID;

/**
 * Body of {@code POST /api/workspaces}; an omitted tier or flavor takes the catalog's default. With
 * {@code passwordProtected: true}, {@code password} (8-50 characters) protects stop, delete and the IDE. With
 * {@code teamId} (a team of the caller's) the workspace is the team's: its members use it, its plan counts it.
 */
public record CreateWorkspaceRequest(String name, String resourceTierId, String flavorId, List<String> addonIds,
        Boolean passwordProtected, String password, UUID teamId) {
}
