package dev.arcx.orchestrator.user;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A personal API token as its owner sees it in the listing: never the token itself, only its display prefix.
 *
 * @param status {@code active}, {@code expired} or {@code revoked}
 */
public record ApiToken(UUID id, String name, String prefix, OffsetDateTime createdAt, OffsetDateTime lastUsedAt,
        OffsetDateTime expiresAt, OffsetDateTime revokedAt, String status) {
}
