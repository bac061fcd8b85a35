package dev.arcx.common.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.arcx.common.workspace.WorkspaceStatus;
import java.time.Instant;
import java.util.UUID;

/**
 * A workspace lifecycle event as published on {@link Subjects#workspace}. The {@code version} field lets
 * consumers evolve: version 1 readers ignore fields added later.
 *
 * @param version payload schema version, {@link #CURRENT_VERSION} when written by this code
 * @param eventId unique per event, so consumers can de-duplicate redeliveries
 * @param type what happened
 * @param workspaceId the workspace
 * @param ownerId the owning user
 * @param name the workspace name
 * @param status the workspace status after the event
 * @param reason why, for failures and automatic transitions; null otherwise
 * @param occurredAt when it happened
 * @param teamId the team whose members use the workspace too (their webhooks and dashboards hear of it); null for a
 *     personal workspace and in events written before teams existed
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WorkspaceEvent(int version, UUID eventId, WorkspaceEventType type, UUID workspaceId, UUID ownerId,
        String name, WorkspaceStatus status, String reason, Instant occurredAt, UUID teamId) {

    public static final int CURRENT_VERSION = 1;

    public static WorkspaceEvent of(WorkspaceEventType type, UUID workspaceId, UUID ownerId, UUID teamId,
            String name, WorkspaceStatus status, String reason) {
        return new WorkspaceEvent(CURRENT_VERSION, UUID.randomUUID(), type, workspaceId, ownerId, name, status, reason,
                Instant.now(), teamId);
    }
}
