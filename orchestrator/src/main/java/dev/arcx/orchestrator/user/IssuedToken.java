package dev.arcx.orchestrator.user;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A freshly issued personal API token: the only time the token itself is ever shown. */
public record IssuedToken(UUID id, UUID userId, String name, String token, String prefix, OffsetDateTime expiresAt) {
}
