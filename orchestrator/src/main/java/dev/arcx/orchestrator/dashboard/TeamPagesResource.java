package dev.arcx.orchestrator.dashboard;

import dev.arcx.common.auth.SessionCookies;
import dev.arcx.orchestrator.web.Pages;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The dashboard's pages for teams and personal API tokens. They show what the JSON API holds; their scripts change it
 * through that API ({@code /api/teams}, {@code /api/team-invites}, {@code /api/tokens}).
 */
@Path("/")
@PermitAll
@Produces(MediaType.TEXT_HTML)
public class TeamPagesResource {
    private final TeamPagesService teamPages;
    private final Pages pages;

    TeamPagesResource(TeamPagesService teamPages, Pages pages) {
        this.teamPages = teamPages;
        this.pages = pages;
    }

    @GET
    @Path("teams")
    public Uni<Response> teams(@CookieParam(SessionCookies.SESSION) String session) {
        return pages.signedIn(session, teamPages::teams);
    }

    @GET
    @Path("teams/{id}")
    public Uni<Response> team(@CookieParam(SessionCookies.SESSION) String session, @PathParam("id") String id) {
        return pages.signedIn(session, viewer -> teamPages.team(viewer, id));
    }

    @GET
    @Path("tokens")
    public Uni<Response> tokens(@CookieParam(SessionCookies.SESSION) String session) {
        return pages.signedIn(session, teamPages::tokens);
    }

    /** Failures of these pages as pages ({@link Pages#failed}): a stranger's team is the 404 page. */
    @ServerExceptionMapper
    public Uni<Response> failed(Throwable failure, HttpServerRequest request) {
        return pages.failed(failure, request);
    }
}
