package dev.arcx.orchestrator.team;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A team as the administrator sees it in the list of all teams. */
public record AdminTeamView(UUID id, String name, String slug, String planId, UUID createdBy,
        OffsetDateTime createdAt, int members, int workspaces) {
}
