package dev.arcx.common.tokens;

import java.time.Instant;
import java.util.UUID;

/**
 * What a signed session token asserts.
 *
 * @param userId the user
 * @param login the user's login, for logs and display; authorisation always uses {@code userId}
 * @param issuedAt when the token was signed
 * @param expiresAt after this instant the token is rejected
 */
public record SessionClaims(UUID userId, String login, Instant issuedAt, Instant expiresAt) {
}
