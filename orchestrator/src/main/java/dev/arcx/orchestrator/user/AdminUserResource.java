package dev.arcx.orchestrator.user;

import dev.arcx.common.auth.Roles;
import dev.arcx.orchestrator.audit.Callers;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.jboss.resteasy.reactive.ResponseStatus;

/** Administration of users, behind the administrator token. */
@Path("/api/admin/users")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AdminUserResource {
    private final UserService users;
    private final Callers callers;

    AdminUserResource(UserService users, Callers callers) {
        this.users = users;
        this.callers = callers;
    }

    @POST
    @ResponseStatus(201)
    public Uni<User> create(CreateUserRequest request) {
        return users.create(callers.current(), request);
    }

    @POST
    @Path("/{id}/tokens")
    @ResponseStatus(201)
    public Uni<IssuedToken> issueToken(@PathParam("id") UUID id) {
        return users.issueToken(callers.current(), id);
    }
}
