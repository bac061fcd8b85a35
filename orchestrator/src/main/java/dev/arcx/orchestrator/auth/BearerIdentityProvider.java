package dev.arcx.orchestrator.auth;

import dev.arcx.common.auth.BearerTokenRequest;
import dev.arcx.common.auth.PlatformTokens;
import dev.arcx.common.auth.Roles;
import dev.arcx.common.tokens.ApiTokens;
import dev.arcx.common.tokens.SessionClaims;
import dev.arcx.orchestrator.config.OrchestratorConfig;
import dev.arcx.orchestrator.support.CurrentUser;
import dev.arcx.orchestrator.user.ApiTokenRepository;
import dev.arcx.orchestrator.user.User;
import dev.arcx.orchestrator.user.UserRepository;
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
 * Turns a token into an identity: the administrator token, a personal API token (looked up by its hash; revoked and
 * expired tokens are refused) or a signed session token (signature and expiry checked without the database, then one
 * lookup finds the user through the unrevoked session). A suspended user's tokens and sessions are refused. The
 * session cookie ({@code arc_session}) arrives here too and may only hold a session token.
 */
@ApplicationScoped
public class BearerIdentityProvider implements IdentityProvider<BearerTokenRequest> {
    private final UserRepository users;
    private final ApiTokenRepository apiTokens;
    private final PlatformTokens tokens;

    BearerIdentityProvider(UserRepository users, ApiTokenRepository apiTokens, OrchestratorConfig config) {
        this.users = users;
        this.apiTokens = apiTokens;
        this.tokens = new PlatformTokens(config.adminToken(), config.sessionSecret());
    }

    @Override
    public Class<BearerTokenRequest> getRequestType() {
        return BearerTokenRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(BearerTokenRequest request, AuthenticationRequestContext context) {
        String token = request.token();
        if (!request.fromCookie() && tokens.isAdmin(token)) {
            return Uni.createFrom().item(QuarkusSecurityIdentity.builder(PlatformTokens.adminIdentity())
                    .addAttribute(CurrentUser.CREDENTIAL, "admin").build());
        }
        if (!request.fromCookie() && ApiTokens.looksLikeApiToken(token)) {
            String hash = ApiTokens.hash(token);
            return apiTokens.findUserByTokenHash(hash).map(user -> userIdentity(user, "token:" + hash));
        }
        Optional<SessionClaims> claims = tokens.session(token);
        if (claims.isPresent()) {
            return users.findBySession(claims.get().sessionId(), claims.get().userId())
                    .map(user -> userIdentity(user, "session:" + claims.get().sessionId()));
        }
        return Uni.createFrom().failure(new AuthenticationFailedException("unknown bearer token"));
    }

    /**
     * The one place a user becomes an identity, whatever the token. An administrator among users has both roles.
     *
     * @param credential which token or session this is, the key of the request rate limit
     */
    private static SecurityIdentity userIdentity(User user, String credential) {
        if (user == null) {
            throw new AuthenticationFailedException("token does not name a usable token of an active user, or its "
                    + "session ended");
        }
        var identity = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(user.id().toString()))
                .addRole(Roles.USER)
                .addAttribute(CurrentUser.LOGIN, user.login())
                .addAttribute(CurrentUser.PLAN, user.plan())
                .addAttribute(CurrentUser.CREDENTIAL, credential);
        if (user.admin()) {
            identity.addRole(Roles.ADMIN);
        }
        return identity.build();
    }
}
