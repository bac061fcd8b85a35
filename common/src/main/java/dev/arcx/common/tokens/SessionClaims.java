package dev.arcx.common.tokens;

import java.time.Instant;
import java.util.UUID;

/**
 * What a signed session token asserts.
 *
 * @param sessionId the sign-in this token belongs to: the orchestrator keeps one row per sign-in, so a logout (or a
 *         new sign-in from the same browser) ends exactly that session while the signature alone stays cheap to check
 * @param userId the user
 * @param login the user's login, for logs and display; authorisation always uses {@code userId}
 * @param issuedAt when the token was signed
 * @param expiresAt after this instant the token is rejected
 */
public record SessionClaims(UUID sessionId, UUID userId, String login, Instant issuedAt, Instant expiresAt) {
}
