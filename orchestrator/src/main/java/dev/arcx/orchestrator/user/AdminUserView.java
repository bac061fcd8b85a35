package dev.arcx.orchestrator.user;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A user as the admin API shows them.
 *
 * @param suspendedAt when the user was suspended; null for an active user
 * @param lastSignInAt the user's latest sign-in (GitHub or development); null when never
 * @param tokenCount the user's usable (unrevoked, unexpired) personal API tokens
 */
public record AdminUserView(UUID id, String login, String name, String email, String avatarUrl, String plan,
        boolean admin, OffsetDateTime suspendedAt, String suspensionReason, OffsetDateTime createdAt,
        OffsetDateTime lastSignInAt, long workspaceCount, long tokenCount) {
}
