package dev.arcx.orchestrator.workspace;

import dev.arcx.common.workspace.WorkspaceStatus;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A row of {@code workspaces}.
 *
 * @param lastActiveAt the last activity written to the database (newer activity may still be in memory, see
 *         {@link WorkspaceActivity}); null before the first start
 * @param startedAt when the workspace last reached running; null before the first start
 * @param clonedFrom the workspace this one is a clone of; null for one created empty
 * @param cloning true while the source's files are being copied into this clone
 * @param passwordProtected whether stop and delete need the workspace's password (its hashes are read apart, see
 *         {@link WorkspaceRepository#passwordHashes})
 * @param ideAuthManaged whether every start writes the IDE's auth file (true once a password was ever set)
 * @param teamId the team whose members may use the workspace as its owner does; null for a personal one
 * @param ownerLogin the owner's login, which the workspace's host names are made of (null where a query leaves it out)
 */
public record Workspace(UUID id, UUID ownerId, String name, String resourceTierId, String flavorId,
        List<String> addonIds, WorkspaceStatus status, String statusReason, String containerId,
        OffsetDateTime createdAt, OffsetDateTime updatedAt, OffsetDateTime lastActiveAt, OffsetDateTime startedAt,
        UUID clonedFrom, boolean cloning, boolean passwordProtected, boolean ideAuthManaged, UUID teamId,
        String ownerLogin) {

    /** Names of the engine objects that belong to this workspace: deterministic, so re-driven work finds them. */
    public String containerName() {
        return "arcx-ws-" + id;
    }

    public String networkName() {
        return "arcx-ws-" + id;
    }

    /** Linux caps interface names at 15 characters; the {@code arcxw} prefix is what the host firewall matches. */
    public String bridgeName() {
        return "arcxw-" + id.toString().replace("-", "").substring(0, 9);
    }

    public String volumeName() {
        return "arcx-ws-" + id + "-home";
    }
}
