package dev.arcx.orchestrator.account;

import dev.arcx.common.auth.Roles;
import dev.arcx.orchestrator.audit.Callers;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The signed-in user's own account: erasing it ({@link UserErasure}). */
@Path("/api/me")
@RolesAllowed(Roles.USER)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AccountResource {
    private final UserErasure erasure;
    private final Callers callers;

    AccountResource(UserErasure erasure, Callers callers) {
        this.erasure = erasure;
        this.callers = callers;
    }

    /** Erases the caller's account; the body repeats its login ({@code {"login": "..."}}), else 400. */
    @DELETE
    public Uni<UserErasure.Erased> erase(UserRequests.Erase request) {
        return erasure.eraseSelf(callers.current(), request);
    }
}
