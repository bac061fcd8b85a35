package dev.arcx.imagebuilder.auth;

import dev.arcx.common.auth.BearerTokenRequest;
import dev.arcx.common.auth.Roles;
import dev.arcx.common.tokens.SessionClaims;
import dev.arcx.common.tokens.SessionTokens;
import dev.arcx.imagebuilder.config.ImageBuilderConfig;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Optional;

/**
 * Who may call the image-builder: the administrator ({@code ARC_ADMIN_TOKEN}), and users holding a session token
 * signed with the platform's shared secret (verified here without a database: the image-builder keeps no users).
 */
@ApplicationScoped
public class TokenIdentityProvider implements IdentityProvider<BearerTokenRequest> {
    private final SessionTokens sessions;
    private final byte[] adminToken;

    TokenIdentityProvider(ImageBuilderConfig config) {
        this.sessions = new SessionTokens(config.sessionSecret());
        this.adminToken = config.adminToken().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Class<BearerTokenRequest> getRequestType() {
        return BearerTokenRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(BearerTokenRequest request, AuthenticationRequestContext context) {
        if (MessageDigest.isEqual(adminToken, request.token().getBytes(StandardCharsets.UTF_8))) {
            return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal("admin")).addRole(Roles.ADMIN).addRole(Roles.USER).build());
        }
        Optional<SessionClaims> claims = sessions.verify(request.token(), Instant.now());
        if (claims.isPresent()) {
            return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(claims.get().userId().toString())).addRole(Roles.USER)
                    .build());
        }
        return Uni.createFrom().failure(new AuthenticationFailedException("unknown bearer token"));
    }
}
