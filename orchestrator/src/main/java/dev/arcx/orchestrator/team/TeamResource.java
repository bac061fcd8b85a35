package dev.arcx.orchestrator.team;

import dev.arcx.common.auth.Roles;
import dev.arcx.orchestrator.audit.Callers;
import dev.arcx.orchestrator.support.CurrentUser;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.jboss.resteasy.reactive.ResponseStatus;

/** Teams and the invites addressed to the caller. Non-members find no team: 404, as for one that does not exist. */
@Path("/api")
@RolesAllowed(Roles.USER)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TeamResource {
    private final TeamService teams;
    private final SecurityIdentity identity;
    private final Callers callers;

    TeamResource(TeamService teams, SecurityIdentity identity, Callers callers) {
        this.teams = teams;
        this.identity = identity;
        this.callers = callers;
    }

    @POST
    @Path("/teams")
    @ResponseStatus(201)
    public Uni<TeamView> create(TeamRequests.Create request) {
        return teams.create(callers.current(), request);
    }

    @GET
    @Path("/teams")
    public Uni<List<TeamView>> list() {
        return teams.list(CurrentUser.id(identity));
    }

    @GET
    @Path("/teams/{id}")
    public Uni<TeamView> get(@PathParam("id") UUID id) {
        return teams.get(CurrentUser.id(identity), id);
    }

    /** An owner renames the team. */
    @PATCH
    @Path("/teams/{id}")
    public Uni<TeamView> rename(@PathParam("id") UUID id, TeamRequests.Rename request) {
        return teams.rename(callers.current(), id, request);
    }

    @DELETE
    @Path("/teams/{id}")
    @ResponseStatus(204)
    public Uni<Void> delete(@PathParam("id") UUID id) {
        return teams.delete(callers.current(), id);
    }

    @POST
    @Path("/teams/{id}/invites")
    @ResponseStatus(201)
    public Uni<TeamView.Invite> invite(@PathParam("id") UUID id, TeamRequests.Invite request) {
        return teams.invite(callers.current(), id, request);
    }

    @DELETE
    @Path("/teams/{id}/invites/{inviteId}")
    @ResponseStatus(204)
    public Uni<Void> revokeInvite(@PathParam("id") UUID id, @PathParam("inviteId") UUID inviteId) {
        return teams.revokeInvite(callers.current(), id, inviteId);
    }

    @PATCH
    @Path("/teams/{id}/members/{userId}")
    public Uni<TeamView> setRole(@PathParam("id") UUID id, @PathParam("userId") UUID userId,
            TeamRequests.Role request) {
        return teams.setRole(callers.current(), id, userId, request);
    }

    /** An owner removes a member; a member removes themselves (leaves). */
    @DELETE
    @Path("/teams/{id}/members/{userId}")
    @ResponseStatus(204)
    public Uni<Void> removeMember(@PathParam("id") UUID id, @PathParam("userId") UUID userId) {
        return teams.removeMember(callers.current(), id, userId);
    }

    @GET
    @Path("/team-invites")
    public Uni<List<TeamView.Invite>> invites() {
        return teams.invitesFor(CurrentUser.login(identity));
    }

    @POST
    @Path("/team-invites/{id}/accept")
    public Uni<TeamView> accept(@PathParam("id") UUID id) {
        return teams.accept(callers.current(), CurrentUser.login(identity), id);
    }

    @POST
    @Path("/team-invites/{id}/decline")
    @ResponseStatus(204)
    public Uni<Void> decline(@PathParam("id") UUID id) {
        return teams.decline(callers.current(), CurrentUser.login(identity), id);
    }
}
