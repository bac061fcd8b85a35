package dev.arcx.common.auth;

import dev.arcx.common.http.ApiException;
import dev.arcx.common.http.RouteProblems;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Cross-site request forgery protection for the session cookie, in every service. A state-changing request
 * (POST, PUT, PATCH, DELETE) that carries {@code arc_session} and no {@code Authorization} header passes only with
 * proof that a page of the platform sent it: {@code X-CSRF-Token} equal to the session's CSRF token (scripts read it
 * from the {@code arc_csrf} cookie or {@code GET /api/session}; another site cannot set a custom header without a CORS
 * grant, which no service gives), or an {@code Origin} (else {@code Referer}) naming the host the request was sent
 * to (plain HTML forms). Bearer-token calls are not affected: a browser never adds that header by itself.
 */
@ApplicationScoped
public class CsrfGuard {
    /** Before authentication (200) and anything that could act on the request. */
    static final int PRIORITY = 250;
    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
            HttpMethod.TRACE);
    private static final Logger LOG = Logger.getLogger(CsrfGuard.class);

    void register(@Observes Filters filters) {
        filters.register(this::check, PRIORITY);
    }

    void check(RoutingContext context) {
        HttpServerRequest request = context.request();
        Cookie session = request.getCookie(SessionCookies.SESSION);
        if (SAFE.contains(request.method()) || session == null || request.getHeader("Authorization") != null
                || SessionCookies.csrfMatches(session.getValue(), request.getHeader(SessionCookies.CSRF_HEADER))
                || sameOrigin(request.getHeader("Origin"), request.getHeader("Referer"), request.authority() == null
                        ? null : request.authority().toString())) {
            context.next();
            return;
        }
        LOG.debugf("CSRF refusal of %s %s (origin %s)", request.method(), request.path(), request.getHeader("Origin"));
        RouteProblems.send(context, ApiException.forbidden("a request authenticated by the session cookie must carry "
                + "the " + SessionCookies.CSRF_HEADER + " header (the " + SessionCookies.CSRF
                + " cookie's value) or come from a page of this site"));
    }

    /**
     * Whether the page that sent the request (Origin, or Referer when a browser leaves Origin out) has the host and
     * port the request was addressed to. The scheme is not compared: behind a TLS-terminating proxy the service sees
     * http while the page was https.
     */
    static boolean sameOrigin(String origin, String referer, String host) {
        String source = origin != null && !origin.equals("null") ? origin : referer;
        if (source == null || host == null) {
            return false;
        }
        try {
            URI page = URI.create(source);
            if (page.getHost() == null || page.getScheme() == null) {
                return false;
            }
            int defaultPort = page.getScheme().equalsIgnoreCase("https") ? 443 : 80;
            int pagePort = page.getPort() == -1 ? defaultPort : page.getPort();
            URI addressed = URI.create("//" + host);
            int addressedPort = addressed.getPort() == -1 ? defaultPort : addressed.getPort();
            return addressed.getHost() != null && pagePort == addressedPort
                    && page.getHost().toLowerCase(Locale.ROOT).equals(addressed.getHost().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
