package dev.arcx.orchestrator.webhook;

import dev.arcx.common.auth.Roles;
import dev.arcx.orchestrator.audit.Callers;
import dev.arcx.orchestrator.support.CurrentUser;
import io.quarkus.security.identity.SecurityIdentity;
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

/** A user's outbound webhooks for the lifecycle events of their workspaces. */
@Path("/api/webhooks")
@RolesAllowed(Roles.USER)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class WebhookResource {
    private final WebhookService webhooks;
    private final SecurityIdentity identity;
    private final Callers callers;

    WebhookResource(WebhookService webhooks, SecurityIdentity identity, Callers callers) {
        this.webhooks = webhooks;
        this.identity = identity;
        this.callers = callers;
    }

    @POST
    @ResponseStatus(201)
    public Uni<CreatedWebhook> register(CreateWebhookRequest request) {
        return webhooks.register(callers.current(), request);
    }

    @GET
    public Uni<List<Webhook>> list() {
        return webhooks.list(CurrentUser.id(identity));
    }

    @DELETE
    @Path("/{id}")
    @ResponseStatus(204)
    public Uni<Void> delete(@PathParam("id") UUID id) {
        return webhooks.delete(callers.current(), id);
    }

    @GET
    @Path("/{id}/deliveries")
    public Uni<List<WebhookDelivery>> deliveries(@PathParam("id") UUID id) {
        return webhooks.deliveries(CurrentUser.id(identity), id);
    }
}
