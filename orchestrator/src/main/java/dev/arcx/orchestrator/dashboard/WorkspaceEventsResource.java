package dev.arcx.orchestrator.dashboard;

import dev.arcx.common.auth.Roles;
import dev.arcx.orchestrator.support.CurrentUser;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Multi;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** {@code GET /events/workspaces}: server-sent status changes of the caller's workspaces, for the live dashboard. */
@Path("/events/workspaces")
@RolesAllowed(Roles.USER)
public class WorkspaceEventsResource {
    private final WorkspaceEventFeed feed;
    private final SecurityIdentity identity;

    WorkspaceEventsResource(WorkspaceEventFeed feed, SecurityIdentity identity) {
        this.feed = feed;
        this.identity = identity;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<StatusChange> stream() {
        return feed.visibleTo(CurrentUser.id(identity));
    }
}
