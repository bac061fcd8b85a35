package dev.arcx.orchestrator.signup;

import java.util.UUID;

/**
 * Whether someone new may become a user.
 *
 * @param inviteId the invite redeemed to let them in; null when none was needed
 * @param refusal why not, when they may not (null when admitted)
 */
public record Admission(boolean admitted, UUID inviteId, String refusal) {
    static Admission in(UUID inviteId) {
        return new Admission(true, inviteId, null);
    }

    static Admission refused(String reason) {
        return new Admission(false, null, reason);
    }
}
