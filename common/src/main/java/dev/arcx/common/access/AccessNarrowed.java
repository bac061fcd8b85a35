package dev.arcx.common.access;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.UUID;

/**
 * Someone may reach less than before, announced once the change committed: a user left or was removed from a team,
 * was demoted in it, the team was deleted, the user was suspended or erased, or a session of theirs ended
 * ({@code userId}); or a workspace's port was shared more narrowly or unshared ({@code workspaceId}). Exactly one of
 * the two is set. Inside the orchestrator it is a CDI event (open tunnels are checked again); on
 * {@link dev.arcx.common.events.Subjects#accessNarrowed} it tells every {@link AccessClient} to drop what it cached.
 *
 * @param version payload schema version; readers ignore fields added later
 * @param eventId unique per announcement
 * @param userId whose access narrowed, or null
 * @param workspaceId the workspace whose access narrowed, or null
 * @param occurredAt when
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AccessNarrowed(int version, UUID eventId, UUID userId, UUID workspaceId, Instant occurredAt) {
    public static final int CURRENT_VERSION = 1;

    public static AccessNarrowed forUser(UUID userId) {
        return new AccessNarrowed(CURRENT_VERSION, UUID.randomUUID(), userId, null, Instant.now());
    }

    public static AccessNarrowed forWorkspace(UUID workspaceId) {
        return new AccessNarrowed(CURRENT_VERSION, UUID.randomUUID(), null, workspaceId, Instant.now());
    }
}
