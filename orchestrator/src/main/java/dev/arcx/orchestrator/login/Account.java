package dev.arcx.orchestrator.login;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A user as sign-in and the session answer see them: who they are on GitHub, and their plan.
 *
 * @param suspendedAt when an administrator suspended the user; null for an active user
 */
public record Account(UUID id, String login, String plan, String name, String avatarUrl, String email,
        Long githubId, OffsetDateTime suspendedAt, String suspensionReason) {
}
