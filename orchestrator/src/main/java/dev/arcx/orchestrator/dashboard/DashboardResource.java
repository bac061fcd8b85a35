package dev.arcx.orchestrator.dashboard;

import dev.arcx.common.auth.SessionCookies;
import dev.arcx.common.http.ApiException;
import dev.arcx.orchestrator.signup.SignupService;
import dev.arcx.orchestrator.web.Pages;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The dashboard's workspace pages. Signed out, every page but the landing page sends the browser to {@code /}; errors are
 * pages too (the JSON API keeps answering problem+json). Scripts and styles come from {@code /assets/}, and the
 * Content-Security-Policy admits nothing else ({@link Pages}).
 */
@Path("/")
@PermitAll
@Produces(MediaType.TEXT_HTML)
public class DashboardResource {
    private static final URI WORKSPACES = URI.create("/workspaces");

    private final DashboardService dashboard;
    private final Pages pages;

    DashboardResource(DashboardService dashboard, Pages pages) {
        this.dashboard = dashboard;
        this.pages = pages;
    }

    /**
     * Signed out: what arcx is and how to sign in ({@code ?invite=CODE}, an invitation's link, goes with the GitHub
     * sign-in); signed in: the workspaces.
     */
    @GET
    public Uni<Response> landing(@CookieParam(SessionCookies.SESSION) String session,
            @QueryParam("invite") String invite) {
        // Only a well-formed code is carried on (the sign-in checks it again); anything else is ignored.
        String code = SignupService.isInviteCode(invite) ? invite : null;
        return pages.viewer(session).map(viewer -> viewer.isPresent() ? Response.seeOther(WORKSPACES).build()
                : Pages.html(200, dashboard.landing(code)));
    }

    /** Where a sign-in without a way in lands: what the waitlist means, and a field for a code got since. */
    @GET
    @Path("waitlist")
    public Response waitlist() {
        return Pages.html(200, dashboard.waitlisted());
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
        return pages.signedIn(session, dashboard::workspaces);
    }

    @GET
    @Path("workspaces/new")
    public Uni<Response> create(@CookieParam(SessionCookies.SESSION) String session) {
        return pages.signedIn(session, dashboard::createForm);
    }

    @GET
    @Path("workspaces/{id}")
    public Uni<Response> workspace(@CookieParam(SessionCookies.SESSION) String session, @PathParam("id") String id) {
        return pages.signedIn(session, viewer -> dashboard.workspace(viewer, id));
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

    /** Failures of these pages as pages ({@link Pages#failed}). */
    @ServerExceptionMapper
    public Uni<Response> failed(Throwable failure, HttpServerRequest request) {
        return pages.failed(failure, request);
    }
}
