package dev.arcx.common.auth;

import dev.arcx.common.http.ApiException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Reads {@code Authorization: Bearer <token>}; each service's identity provider decides what the token is worth.
 * Addresses that keep presenting tokens that fail are throttled ({@link FailedAuthentications}).
 */
@ApplicationScoped
public class BearerAuthenticationMechanism implements HttpAuthenticationMechanism {
    /** Above other mechanisms (the session cookie, a login provider's code flow): an explicit header wins. */
    static final int PRIORITY = DEFAULT_PRIORITY + 100;
    private static final String SCHEME = "Bearer ";

    private final FailedAuthentications failures;

    BearerAuthenticationMechanism(FailedAuthentications failures) {
        this.failures = failures;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String header = context.request().getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return Uni.createFrom().optional(java.util.Optional.empty());
        }
        String token = header.substring(SCHEME.length()).trim();
        String address = failures.address(context.request());
        long retryAfter = failures.retryAfter(address, token, System.currentTimeMillis());
        if (retryAfter > 0) {
            return Uni.createFrom().failure(ApiException.tooManyRequests("more than " + failures.perMinute()
                    + " failed authentications from this address in a minute; try again in " + retryAfter + " s",
                    retryAfter));
        }
        return identities.authenticate(new BearerTokenRequest(token))
                .onItem().invoke(identity -> {
                    if (identity == null || identity.isAnonymous()) {
                        failures.failed(address, System.currentTimeMillis());
                    } else {
                        failures.succeeded(token, System.currentTimeMillis());
                    }
                })
                .onFailure(AuthenticationFailedException.class)
                .invoke(() -> failures.failed(address, System.currentTimeMillis()));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer realm=\"arcx\""));
    }

    @Override
    public int getPriority() {
        return PRIORITY;
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(BearerTokenRequest.class);
    }
}
