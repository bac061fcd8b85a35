package dev.arcx.orchestrator.routing;

import dev.arcx.common.auth.Roles;
import dev.arcx.orchestrator.support.CurrentUser;
import dev.arcx.orchestrator.audit.Callers;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.jboss.resteasy.reactive.ResponseStatus;

/**
 * A workspace's forwarded ports, for those who may use it: its owner and its team's members (anyone else finds no such
 * workspace).
 */
@Path("/api/workspaces/{id}/ports")
@RolesAllowed(Roles.USER)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ForwardedPortResource {
    private final ForwardedPortService ports;
    private final SecurityIdentity identity;
    private final Callers callers;

    ForwardedPortResource(ForwardedPortService ports, SecurityIdentity identity, Callers callers) {
        this.callers = callers;
        this.ports = ports;
        this.identity = identity;
    }

    @GET
    public Uni<List<ForwardedPortView>> list(@PathParam("id") UUID id) {
        return ports.list(CurrentUser.id(identity), id);
    }

    @PUT
    @Path("/{port}")
    public Uni<ForwardedPortView> share(@PathParam("id") UUID id, @PathParam("port") int port,
            PortShareRequest request) {
        return ports.share(callers.current(), id, port, request);
    }

    @DELETE
    @Path("/{port}")
    @ResponseStatus(204)
    public Uni<Void> unshare(@PathParam("id") UUID id, @PathParam("port") int port) {
        return ports.unshare(callers.current(), id, port);
    }
}
