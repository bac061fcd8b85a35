package dev.arcx.orchestrator.signup;

import dev.arcx.common.auth.Roles;
import dev.arcx.orchestrator.audit.Callers;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.jboss.resteasy.reactive.ResponseStatus;

/** The admin's invite codes: create, list (newest first, with their status), revoke. */
@Path("/api/admin/invites")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class InviteResource {
    private final SignupService signups;
    private final Callers callers;

    InviteResource(SignupService signups, Callers callers) {
        this.signups = signups;
        this.callers = callers;
    }

    @POST
    @ResponseStatus(201)
    public Uni<Invite> create(CreateInviteRequest request) {
        return signups.create(callers.current(), request);
    }

    @GET
    public Uni<List<Invite>> list() {
        return signups.invites();
    }

    @DELETE
    @Path("/{id}")
    @ResponseStatus(204)
    public Uni<Void> revoke(@PathParam("id") UUID id) {
        return signups.revoke(callers.current(), id);
    }
}
