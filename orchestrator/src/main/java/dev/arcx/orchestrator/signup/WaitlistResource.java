package dev.arcx.orchestrator.signup;

import dev.arcx.common.auth.Roles;
import dev.arcx.orchestrator.audit.Callers;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;

/** The waitlist (oldest first) and its approvals, for the admin. */
@Path("/api/admin/waitlist")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class WaitlistResource {
    private final SignupService signups;
    private final Callers callers;

    WaitlistResource(SignupService signups, Callers callers) {
        this.signups = signups;
        this.callers = callers;
    }

    @GET
    public Uni<List<WaitlistEntry>> list() {
        return signups.waitlist();
    }

    @POST
    @Path("/{id}/approve")
    public Uni<ApprovedEntry> approve(@PathParam("id") UUID id) {
        return signups.approve(callers.current(), id);
    }
}
