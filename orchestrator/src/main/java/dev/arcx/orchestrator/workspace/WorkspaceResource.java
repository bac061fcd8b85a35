package dev.arcx.orchestrator.workspace;

import dev.arcx.orchestrator.audit.Callers;
import dev.arcx.orchestrator.support.CurrentUser;
import dev.arcx.common.auth.Roles;
import dev.arcx.orchestrator.docker.ContainerStats;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.jboss.resteasy.reactive.ResponseStatus;

/** A user's workspaces and those of the user's teams. Lifecycle operations answer at once; the engine work follows in the background. */
@Path("/api/workspaces")
@RolesAllowed(Roles.USER)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class WorkspaceResource {
    private final WorkspaceService workspaces;
    private final WorkspaceCloning cloning;
    private final WorkspacePasswordChange passwordChange;
    private final SecurityIdentity identity;
    private final Callers callers;

    WorkspaceResource(WorkspaceService workspaces, WorkspaceCloning cloning, WorkspacePasswordChange passwordChange,
            SecurityIdentity identity, Callers callers) {
        this.workspaces = workspaces;
        this.cloning = cloning;
        this.passwordChange = passwordChange;
        this.identity = identity;
        this.callers = callers;
    }

    @POST
    @ResponseStatus(201)
    public Uni<WorkspaceView> create(CreateWorkspaceRequest request) {
        return workspaces.create(callers.current(), CurrentUser.login(identity), request);
    }

    @GET
    public Uni<List<WorkspaceView>> list() {
        return workspaces.list(user());
    }

    @GET
    @Path("/{id}")
    public Uni<WorkspaceView> get(@PathParam("id") UUID id) {
        return workspaces.get(user(), id);
    }

    @PATCH
    @Path("/{id}")
    public Uni<WorkspaceView> update(@PathParam("id") UUID id, UpdateWorkspaceRequest request) {
        return workspaces.update(callers.current(), id, request);
    }

    @POST
    @Path("/{id}/start")
    @ResponseStatus(202)
    public Uni<WorkspaceView> start(@PathParam("id") UUID id) {
        return workspaces.start(callers.current(), id);
    }

    @POST
    @Path("/{id}/stop")
    @ResponseStatus(202)
    public Uni<WorkspaceView> stop(@PathParam("id") UUID id, @HeaderParam(WorkspacePasswords.HEADER) String header,
            PasswordConfirmation body) {
        return workspaces.stop(callers.current(), id, password(header, body));
    }

    @POST
    @Path("/{id}/restart")
    @ResponseStatus(202)
    public Uni<WorkspaceView> restart(@PathParam("id") UUID id) {
        return workspaces.restart(callers.current(), id);
    }

    /** Clones of the workspace, answered in creating; their files and start follow in the background. */
    @POST
    @Path("/{id}/clone")
    @ResponseStatus(202)
    public Uni<List<WorkspaceView>> clone(@PathParam("id") UUID id, CloneWorkspaceRequest request) {
        return cloning.clone(callers.current(), id, request);
    }

    /** The workspace is in use (the IDE, team presence): postpones its idle stop. */
    @POST
    @Path("/{id}/activity")
    @ResponseStatus(204)
    public Uni<Void> activity(@PathParam("id") UUID id) {
        return workspaces.recordActivity(user(), id);
    }

    @DELETE
    @Path("/{id}")
    @ResponseStatus(202)
    public Uni<WorkspaceView> delete(@PathParam("id") UUID id, @HeaderParam(WorkspacePasswords.HEADER) String header,
            PasswordConfirmation body) {
        return workspaces.delete(callers.current(), id, password(header, body));
    }

    /** Sets, changes or removes the workspace's password; 200 with the workspace. */
    @PUT
    @Path("/{id}/password")
    public Uni<WorkspaceView> password(@PathParam("id") UUID id, WorkspacePasswordRequest request) {
        return passwordChange.change(callers.current(), id, request);
    }

    @GET
    @Path("/{id}/logs")
    @Produces(MediaType.TEXT_PLAIN)
    public Uni<String> logs(@PathParam("id") UUID id, @QueryParam("tail") Integer tail) {
        return workspaces.logs(user(), id, tail);
    }

    @GET
    @Path("/{id}/stats")
    public Uni<ContainerStats> stats(@PathParam("id") UUID id) {
        return workspaces.stats(user(), id);
    }

    /** The body's password, else the header's (a browser's DELETE sends no body). */
    private static String password(String header, PasswordConfirmation body) {
        return body != null && body.password() != null ? body.password() : header;
    }

    private UUID user() {
        return CurrentUser.id(identity);
    }
}
