package dev.arcx.orchestrator.auth;

import dev.arcx.common.http.ApiException;
import dev.arcx.orchestrator.config.OrchestratorConfig;
import dev.arcx.orchestrator.support.CurrentUser;
import dev.arcx.common.support.MinuteWindows;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * API requests per credential: at most {@code arcx.auth.requests-per-minute} per personal API token, session or the
 * admin token and minute, answered 429 (problem+json) with {@code Retry-After} beyond. Anonymous requests are not
 * counted here (the sign-in paths have {@code LoginRateLimiter}); a credential that fails authentication gets its
 * 401 as before.
 *
 * <p>The counts live in memory: there is one orchestrator per installation, so one process sees every request of
 * a credential, and the edge (Traefik) limits by address in front of it. A restart forgets the counts, which gives a
 * client at most one fresh minute; a shared store would cost a round trip on every request for nothing.
 */
public class RequestRateLimiter {
    private final CurrentIdentityAssociation identities;
    private final MinuteWindows requests;

    RequestRateLimiter(CurrentIdentityAssociation identities, OrchestratorConfig config) {
        this.identities = identities;
        this.requests = new MinuteWindows(config.auth().requestsPerMinute());
    }

    @ServerRequestFilter
    public Uni<Void> limit() {
        return identities.getDeferredIdentity().onFailure().recoverWithNull().invoke(identity -> {
            String credential = identity == null ? null : identity.getAttribute(CurrentUser.CREDENTIAL);
            if (credential == null) {
                return;
            }
            long retryAfter = requests.admit(credential, System.currentTimeMillis());
            if (retryAfter > 0) {
                throw ApiException.tooManyRequests("at most " + requests.perMinute() + " API requests per minute "
                        + "with one token or session; try again in " + retryAfter + " s", retryAfter);
            }
        }).replaceWithVoid();
    }
}
