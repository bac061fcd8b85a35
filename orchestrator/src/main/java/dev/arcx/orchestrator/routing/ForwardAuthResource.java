package dev.arcx.orchestrator.routing;

import dev.arcx.common.auth.SessionCookies;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Traefik's forwardAuth target: 200 lets the request through; any other answer goes back to the client. The
 * middleware copies {@code X-Arcx-User} and {@code Cookie} from a 200 onto the proxied request, after dropping what
 * the client sent under those names: so the user header cannot be forged, and the session cookie, sent to every host
 * under the domain, never reaches a workspace (whose owner could otherwise collect visitors' sessions).
 */
@Path("/api/auth/forward")
@PermitAll
public class ForwardAuthResource {
    /** The signed-in user's login on the proxied request; absent for an anonymous visitor of a public port. */
    public static final String USER_HEADER = "X-Arcx-User";
    public static final String SESSION_COOKIE = SessionCookies.SESSION;
    private static final Logger LOG = Logger.getLogger(ForwardAuthResource.class);

    private final ForwardAuthService auth;

    ForwardAuthResource(ForwardAuthService auth) {
        this.auth = auth;
    }

    @GET
    public Uni<Response> forward(@HeaderParam("X-Forwarded-Host") String host,
            @HeaderParam("X-Forwarded-Method") String method, @HeaderParam("X-Forwarded-Uri") String uri,
            @CookieParam(SESSION_COOKIE) String session, @HeaderParam(HttpHeaders.COOKIE) List<String> cookies) {
        return auth.decide(host, session)
                .invoke(user -> LOG.debugf("forward-auth %s %s%s: %s", method, host, uri, user.orElse("anonymous")))
                .map(user -> {
                    Response.ResponseBuilder ok = Response.ok();
                    user.ifPresent(login -> ok.header(USER_HEADER, login));
                    String others = withoutSession(cookies);
                    if (!others.isEmpty()) {
                        ok.header(HttpHeaders.COOKIE, others);
                    }
                    return ok.build();
                });
    }

    /** The request's cookies except the session's, as one Cookie header value (empty when none is left). */
    static String withoutSession(List<String> cookieHeaders) {
        return cookieHeaders == null ? "" : cookieHeaders.stream()
                .flatMap(header -> Arrays.stream(header.split(";")))
                .map(String::strip)
                .filter(pair -> !pair.isEmpty() && !pair.split("=", 2)[0].strip().equals(SESSION_COOKIE))
                .collect(Collectors.joining("; "));
    }
}
