package dev.arcx.orchestrator.dashboard;

import dev.arcx.common.auth.Roles;
import dev.arcx.common.auth.SessionCookies;
import dev.arcx.common.http.ApiException;
import dev.arcx.orchestrator.auth.CurrentUser;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The dashboard's HTML pages. Signed out, every page but the landing page sends the browser to {@code /}; errors are
 * pages too (the JSON API keeps answering problem+json). Scripts and styles come from {@code /assets/}, and the
 * Content-Security-Policy admits nothing else.
 */
@Path("/")
@PermitAll
@Produces(MediaType.TEXT_HTML)
public class DashboardResource {
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    /** Every page's security headers besides its type. */
    static final Map<String, String> PAGE_HEADERS = Map.of("Content-Security-Policy", CSP,
            "X-Content-Type-Options", "nosniff", "Referrer-Policy", "same-origin", "Cache-Control", "no-store");
    private static final Logger LOG = Logger.getLogger(DashboardResource.class);
    private static final URI HOME = URI.create("/");
    private static final URI WORKSPACES = URI.create("/workspaces");

    private final DashboardService dashboard;
    private final CurrentIdentityAssociation identities;

    DashboardResource(DashboardService dashboard, CurrentIdentityAssociation identities) {
        this.dashboard = dashboard;
        this.identities = identities;
    }

    /** Signed out: what arcx is and how to sign in; signed in: the workspaces. */
    @GET
    public Uni<Response> landing(@CookieParam(SessionCookies.SESSION) String session) {
        return viewer(session).map(viewer -> viewer.isPresent() ? Response.seeOther(WORKSPACES).build()
                : html(200, dashboard.landing()));
    }

    /** Where a sign-in lands. */
    @GET
    @Path("dashboard")
    public Response dashboard() {
        return Response.seeOther(WORKSPACES).build();
    }

    @GET
    @Path("workspaces")
    public Uni<Response> workspaces(@CookieParam(SessionCookies.SESSION) String session) {
        return signedIn(session, dashboard::workspaces);
    }

    @GET
    @Path("workspaces/new")
    public Uni<Response> create(@CookieParam(SessionCookies.SESSION) String session) {
        return signedIn(session, dashboard::createForm);
    }

    @GET
    @Path("workspaces/{id}")
    public Uni<Response> workspace(@CookieParam(SessionCookies.SESSION) String session, @PathParam("id") String id) {
        return signedIn(session, viewer -> dashboard.workspace(viewer, id));
    }

    /**
     * Any other address: the 404 page. RESTEasy answers unmatched paths itself (static files are served before it),
     * so this is where a browser's mistyped address ends.
     */
    @GET
    @Path("{path: .+}")
    public Response unknown(@PathParam("path") String path) {
        throw ApiException.notFound("Nothing lives at this address.");
    }

    /**
     * Failures of these pages as pages: the API's message for 4xx, a plain sentence for anything else. Unknown
     * {@code /api/} addresses that end here are left (null) to the API's problem+json mapper.
     */
    @ServerExceptionMapper
    public Response failed(Throwable failure, HttpServerRequest request) {
        if (request.path().startsWith("/api/")) {
            return null;
        }
        if (failure instanceof ApiException e) {
            return html(e.status(), dashboard.error(null, e.status(), e.title(), e.getMessage()));
        }
        if (failure instanceof WebApplicationException e && e.getResponse().getStatus() < 500) {
            int status = e.getResponse().getStatus();
            return html(status, dashboard.error(null, status, "Not available", "This page does not exist."));
        }
        LOG.error("dashboard page failed", failure);
        return html(500, dashboard.error(null, 500, "Something went wrong",
                "The page could not be shown. Try again in a moment."));
    }

    private Uni<Response> signedIn(String session, Function<Viewer, Uni<String>> page) {
        return viewer(session).flatMap(viewer -> viewer.isEmpty() ? Uni.createFrom().item(Response.seeOther(HOME).build())
                : page.apply(viewer.get()).map(body -> html(200, body)));
    }

    /** The signed-in user (the session cookie or a bearer token); the administrator has no dashboard. */
    private Uni<Optional<Viewer>> viewer(String session) {
        return identities.getDeferredIdentity().map(identity -> identity.isAnonymous() || !identity.hasRole(Roles.USER)
                ? Optional.<Viewer>empty()
                : Optional.of(new Viewer(CurrentUser.id(identity), CurrentUser.login(identity),
                        session == null ? null : SessionCookies.csrfToken(session))))
                // A stale or forged cookie is no sign-in: the landing page, not an error.
                .onFailure(AuthenticationFailedException.class).recoverWithItem(Optional.empty());
    }

    static Response html(int status, String body) {
        Response.ResponseBuilder page = Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(body);
        PAGE_HEADERS.forEach(page::header);
        return page.build();
    }
}
