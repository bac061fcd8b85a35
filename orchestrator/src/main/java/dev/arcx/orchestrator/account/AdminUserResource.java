package dev.arcx.orchestrator.account;

import dev.arcx.common.auth.Roles;
import dev.arcx.orchestrator.audit.Callers;
import dev.arcx.orchestrator.user.AdminUserPage;
import dev.arcx.orchestrator.user.AdminUserView;
import dev.arcx.orchestrator.user.CreateUserRequest;
import dev.arcx.orchestrator.user.IssuedToken;
import dev.arcx.orchestrator.user.User;
import dev.arcx.orchestrator.user.UserService;
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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.jboss.resteasy.reactive.ResponseStatus;

/** Administration of users: the admin token, or a user who is an administrator. */
@Path("/api/admin/users")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AdminUserResource {
    private final UserService users;
    private final AdminUserService admin;
    private final Callers callers;
    private final UserErasure erasure;

    AdminUserResource(UserService users, AdminUserService admin, Callers callers, UserErasure erasure) {
        this.erasure = erasure;
        this.users = users;
        this.admin = admin;
        this.callers = callers;
    }

    @POST
    @ResponseStatus(201)
    public Uni<User> create(CreateUserRequest request) {
        return users.create(callers.current(), request);
    }

    /** Paging and filters arrive as text so a malformed value is this API's 400, not the framework's 404. */
    @GET
    public Uni<AdminUserPage> search(@QueryParam("q") String q, @QueryParam("plan") String plan,
            @QueryParam("suspended") String suspended, @QueryParam("limit") String limit,
            @QueryParam("offset") String offset) {
        return admin.search(q, plan, suspended, limit, offset);
    }

    @GET
    @Path("/{id}")
    public Uni<AdminUserView> get(@PathParam("id") UUID id) {
        return admin.get(id);
    }

    @PATCH
    @Path("/{id}")
    public Uni<AdminUserView> update(@PathParam("id") UUID id, AdminUserRequests.Update request) {
        return admin.update(callers.current(), id, request);
    }

    /** Erases the user ({@link UserErasure}): 200 with what went, 409 while they are a team's last owner. */
    @DELETE
    @Path("/{id}")
    public Uni<UserErasure.Erased> erase(@PathParam("id") UUID id) {
        return erasure.eraseByAdministrator(callers.current(), id);
    }

    @POST
    @Path("/{id}/suspend")
    public Uni<AdminUserView> suspend(@PathParam("id") UUID id, AdminUserRequests.Suspend request) {
        return admin.suspend(callers.current(), id, request);
    }

    @POST
    @Path("/{id}/unsuspend")
    public Uni<AdminUserView> unsuspend(@PathParam("id") UUID id) {
        return admin.unsuspend(callers.current(), id);
    }

    @POST
    @Path("/{id}/tokens")
    @ResponseStatus(201)
    public Uni<IssuedToken> issueToken(@PathParam("id") UUID id) {
        return users.issueToken(callers.current(), id);
    }
}
