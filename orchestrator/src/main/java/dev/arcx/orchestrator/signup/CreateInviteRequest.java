package dev.arcx.orchestrator.signup;

import java.time.Instant;

/**
 * Body of {@code POST /api/admin/invites}; every field is optional.
 *
 * @param code the code to hand out (4-64 of letters, digits, '-' and '_'); generated when absent
 * @param maxUses sign-ups the code allows, 1 (the default) to 10000
 * @param expiresAt after this instant the code no longer works; absent: it does not expire
 */
public record CreateInviteRequest(String code, Integer maxUses, Instant expiresAt, String note) {
}
