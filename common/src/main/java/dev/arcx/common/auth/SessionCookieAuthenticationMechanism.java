package dev.arcx.common.auth;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Reads the {@code arc_session} cookie and hands it to the same identity provider as a bearer token, so a browser
 * session is the same identity in every service. An {@code Authorization} header wins: a request that names its
 * token explicitly is authenticated by it alone. State changes made with the cookie are held to {@link CsrfGuard}.
 */
@ApplicationScoped
public class SessionCookieAuthenticationMechanism implements HttpAuthenticationMechanism {
    /** Tried after the bearer mechanism, whose explicit header wins. */
    static final int PRIORITY = BearerAuthenticationMechanism.PRIORITY - 100;

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        Cookie cookie = context.request().getCookie(SessionCookies.SESSION);
        if (cookie == null || context.request().getHeader("Authorization") != null) {
            return Uni.createFrom().optional(java.util.Optional.empty());
        }
        // A stale or tampered cookie makes the caller anonymous rather than failing the request: public pages stay
        // reachable with it, and anything that needs a user still answers 401.
        return identities.authenticate(BearerTokenRequest.fromCookie(cookie.getValue()))
                .onFailure().recoverWithNull();
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().nullItem();
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(BearerTokenRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.COOKIE,
                SessionCookies.SESSION));
    }

    @Override
    public int getPriority() {
        return PRIORITY;
    }
}
