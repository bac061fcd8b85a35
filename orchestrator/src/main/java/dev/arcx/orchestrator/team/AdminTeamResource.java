package dev.arcx.orchestrator.team;

import dev.arcx.common.auth.Roles;
import dev.arcx.orchestrator.audit.Callers;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;

/** The administrator's view of teams: all of them, and their plans. */
@Path("/api/admin/teams")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AdminTeamResource {
    private final TeamService teams;
    private final Callers callers;

    AdminTeamResource(TeamService teams, Callers callers) {
        this.teams = teams;
        this.callers = callers;
    }

    @GET
    public Uni<List<AdminTeamView>> list() {
        return teams.listAll();
    }

    @PATCH
    @Path("/{id}")
    public Uni<AdminTeamView> setPlan(@PathParam("id") UUID id, TeamRequests.Plan request) {
        return teams.setPlan(callers.current(), id, request);
    }
}
