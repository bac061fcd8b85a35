package dev.arcx.orchestrator.signup;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Someone who signed in with GitHub without a way in.
 *
 * @param reason why they were not let in (no code, or what was wrong with theirs)
 * @param inviteId the one-use invite their approval made; their next sign-in redeems it by itself
 */
public record WaitlistEntry(UUID id, long githubId, String login, String name, String email, String avatarUrl,
        String reason, OffsetDateTime joinedAt, OffsetDateTime approvedAt, UUID inviteId) {
}
