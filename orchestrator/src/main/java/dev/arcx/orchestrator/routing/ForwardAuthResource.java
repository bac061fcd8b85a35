package dev.arcx.orchestrator.routing;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

/**
 * Traefik's forwardAuth target: 200 lets the request through (with {@code X-Arcx-User}, which the middleware copies
 * onto the proxied request after dropping any value the client sent); any other answer goes back to the client.
 */
@Path("/api/auth/forward")
@PermitAll
public class ForwardAuthResource {
    /** The signed-in user's login on the proxied request; absent for an anonymous visitor of a public port. */
    public static final String USER_HEADER = "X-Arcx-User";
    public static final String SESSION_COOKIE = "arc_session";
    private static final Logger LOG = Logger.getLogger(ForwardAuthResource.class);

    private final ForwardAuthService auth;

    ForwardAuthResource(ForwardAuthService auth) {
        this.auth = auth;
    }

    @GET
    public Uni<Response> forward(@HeaderParam("X-Forwarded-Host") String host,
            @HeaderParam("X-Forwarded-Method") String method, @HeaderParam("X-Forwarded-Uri") String uri,
            @CookieParam(SESSION_COOKIE) String session) {
        return auth.decide(host, session)
                .invoke(user -> LOG.debugf("forward-auth %s %s%s: %s", method, host, uri, user.orElse("anonymous")))
                .map(user -> user.map(login -> Response.ok().header(USER_HEADER, login)).orElse(Response.ok()).build());
    }
}
