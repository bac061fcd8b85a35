package dev.arcx.imagebuilder.auth;

import dev.arcx.common.auth.BearerTokenRequest;
import dev.arcx.common.auth.PlatformTokens;
import dev.arcx.common.auth.RevokedSessions;
import dev.arcx.common.auth.Roles;
import dev.arcx.common.tokens.SessionClaims;
import dev.arcx.imagebuilder.config.ImageBuilderConfig;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Who may call the image-builder: the administrator, and users holding a session token signed with the platform's
 * shared secret, as a bearer token or the {@code arc_session} cookie. The image-builder keeps no users: it verifies
 * the signature, and the orchestrator's revocations (logouts, suspensions) reach it over NATS ({@link RevokedSessions}).
 */
@ApplicationScoped
public class TokenIdentityProvider implements IdentityProvider<BearerTokenRequest> {
    private final PlatformTokens tokens;
    private final RevokedSessions revoked;

    TokenIdentityProvider(ImageBuilderConfig config, RevokedSessions revoked) {
        this.tokens = new PlatformTokens(config.adminToken(), config.sessionSecret());
        this.revoked = revoked;
    }

    @Override
    public Class<BearerTokenRequest> getRequestType() {
        return BearerTokenRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(BearerTokenRequest request, AuthenticationRequestContext context) {
        if (!request.fromCookie() && tokens.isAdmin(request.token())) {
            return Uni.createFrom().item(PlatformTokens.adminIdentity());
        }
        Optional<SessionClaims> claims = tokens.session(request.token()).filter(valid -> !revoked.isRevoked(valid));
        if (claims.isPresent()) {
            return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(claims.get().userId().toString())).addRole(Roles.USER)
                    .build());
        }
        return Uni.createFrom().failure(new AuthenticationFailedException("unknown bearer token"));
    }
}
