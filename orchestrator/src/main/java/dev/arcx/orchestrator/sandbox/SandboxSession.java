package dev.arcx.orchestrator.sandbox;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A row of {@code sandbox_sessions}: a user's persistent sandbox container. */
public record SandboxSession(UUID id, UUID ownerId, String container, OffsetDateTime createdAt,
        OffsetDateTime lastUsedAt) {
}
