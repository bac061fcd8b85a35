package dev.arcx.orchestrator.user;

/**
 * Body of {@code POST /api/tokens}.
 *
 * @param name what the token is for, shown in the listing (1-100 characters)
 * @param expiresInDays days until the token stops working (1-3650); null: it never expires
 */
public record CreateTokenRequest(String name, Integer expiresInDays) {
}
