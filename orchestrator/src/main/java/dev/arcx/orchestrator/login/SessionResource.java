package dev.arcx.orchestrator.login;

import dev.arcx.common.auth.SessionCookies;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /api/session}: the caller and the sign-in settings, for every page (signed in or not). */
@Path("/api/session")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {
    private final SessionService sessions;

    SessionResource(SessionService sessions) {
        this.sessions = sessions;
    }

    @GET
    public Uni<SessionView> get(@CookieParam(SessionCookies.SESSION) String session) {
        return sessions.current(session);
    }
}
