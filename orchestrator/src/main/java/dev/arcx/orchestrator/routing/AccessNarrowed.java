package dev.arcx.orchestrator.routing;

import java.util.UUID;

/**
 * Someone may reach less than before: a user left or was removed from a team, or was suspended ({@code userId}), or a
 * workspace's port was shared more narrowly or unshared ({@code workspaceId}). Fired after the change committed, so
 * the WebSockets already open through path access can be checked again ({@link OpenTunnels}); exactly one of the
 * two is set.
 */
public record AccessNarrowed(UUID userId, UUID workspaceId) {
    public static AccessNarrowed forUser(UUID userId) {
        return new AccessNarrowed(userId, null);
    }

    public static AccessNarrowed forWorkspace(UUID workspaceId) {
        return new AccessNarrowed(null, workspaceId);
    }
}
