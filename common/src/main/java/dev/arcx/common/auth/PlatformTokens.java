package dev.arcx.common.auth;

import dev.arcx.common.tokens.SessionClaims;
import dev.arcx.common.tokens.SessionTokens;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Optional;

/**
 * The bearer tokens every service understands without a database: the administrator's ({@code ARC_ADMIN_TOKEN},
 * compared in constant time) and session tokens signed with the shared secret.
 */
public final class PlatformTokens {
    private final byte[] adminToken;
    private final SessionTokens sessions;

    public PlatformTokens(String adminToken, String sessionSecret) {
        this.adminToken = adminToken.getBytes(StandardCharsets.UTF_8);
        this.sessions = new SessionTokens(sessionSecret);
    }

    public boolean isAdmin(String token) {
        return MessageDigest.isEqual(adminToken, token.getBytes(StandardCharsets.UTF_8));
    }

    /** The claims of a valid, unexpired session token. */
    public Optional<SessionClaims> session(String token) {
        return sessions.verify(token, Instant.now());
    }

    public static SecurityIdentity adminIdentity() {
        return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal("admin")).addRole(Roles.ADMIN)
                .build();
    }
}
