package dev.arcx.orchestrator.dashboard;

import dev.arcx.common.auth.SessionCookies;
import dev.arcx.common.http.ApiException;
import dev.arcx.orchestrator.web.Pages;
import dev.arcx.orchestrator.web.Viewer;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.function.Function;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The dashboard's admin pages: users, teams, plans, invites, waitlist, audit log. Anyone but a signed-in administrator gets
 * the same 404 page as for an address that does not exist, so the pages do not tell that they are there. Filters and
 * paging are query parameters, taken as text so the admin services refuse a bad one with a readable message.
 */
@Path("/admin")
@PermitAll
@Produces(MediaType.TEXT_HTML)
public class AdminPagesResource {
    private static final URI USERS = URI.create("/admin/users");

    private final AdminPagesService admin;
    private final Pages pages;

    AdminPagesResource(AdminPagesService admin, Pages pages) {
        this.admin = admin;
        this.pages = pages;
    }

    @GET
    public Uni<Response> admin(@CookieParam(SessionCookies.SESSION) String session) {
        return administrator(session).map(viewer -> Response.seeOther(USERS).build());
    }

    @GET
    @Path("users")
    public Uni<Response> users(@CookieParam(SessionCookies.SESSION) String session, @QueryParam("q") String q,
            @QueryParam("plan") String plan, @QueryParam("suspended") String suspended,
            @QueryParam("limit") String limit, @QueryParam("offset") String offset) {
        return page(session, viewer -> admin.users(viewer, q, plan, suspended, limit, offset));
    }

    @GET
    @Path("teams")
    public Uni<Response> teams(@CookieParam(SessionCookies.SESSION) String session) {
        return page(session, admin::teams);
    }

    @GET
    @Path("plans")
    public Uni<Response> plans(@CookieParam(SessionCookies.SESSION) String session) {
        return page(session, admin::plans);
    }

    @GET
    @Path("invites")
    public Uni<Response> invites(@CookieParam(SessionCookies.SESSION) String session) {
        return page(session, admin::invites);
    }

    @GET
    @Path("waitlist")
    public Uni<Response> waitlist(@CookieParam(SessionCookies.SESSION) String session) {
        return page(session, admin::waitlist);
    }

    @GET
    @Path("audit")
    public Uni<Response> audit(@CookieParam(SessionCookies.SESSION) String session,
            @QueryParam("actor") String actor, @QueryParam("action") String action,
            @QueryParam("targetId") String targetId, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return page(session, viewer -> admin.audit(viewer, actor, action, targetId, from, to, limit, cursor));
    }

    /** Failures of these pages as pages ({@link Pages#failed}). */
    @ServerExceptionMapper
    public Uni<Response> failed(Throwable failure, HttpServerRequest request) {
        return pages.failed(failure, request);
    }

    private Uni<Response> page(String session, Function<Viewer, Uni<String>> render) {
        return administrator(session).flatMap(render::apply).map(body -> Pages.html(200, body));
    }

    /** The signed-in administrator; for anyone else, the unknown address's 404. */
    private Uni<Viewer> administrator(String session) {
        return pages.viewer(session).map(viewer -> viewer.filter(Viewer::admin)
                .orElseThrow(() -> ApiException.notFound("Nothing lives at this address.")));
    }
}
