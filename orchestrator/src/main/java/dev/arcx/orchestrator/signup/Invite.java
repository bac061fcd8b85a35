package dev.arcx.orchestrator.signup;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * An invite code of the closed beta.
 *
 * @param status {@code active}, {@code used-up}, {@code expired} or {@code revoked}
 */
public record Invite(UUID id, String code, String note, int maxUses, int uses, OffsetDateTime expiresAt,
        OffsetDateTime revokedAt, OffsetDateTime createdAt, String status) {
}
