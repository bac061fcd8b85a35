package dev.arcx.orchestrator.user;

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

/** The caller's own personal API tokens: create (shown once), list (never the token), revoke. */
@Path("/api/tokens")
@RolesAllowed(Roles.USER)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ApiTokenResource {
    private final ApiTokenService tokens;
    private final Callers callers;
    private final SecurityIdentity identity;

    ApiTokenResource(ApiTokenService tokens, Callers callers, SecurityIdentity identity) {
        this.tokens = tokens;
        this.callers = callers;
        this.identity = identity;
    }

    @POST
    @ResponseStatus(201)
    public Uni<IssuedToken> create(CreateTokenRequest request) {
        return tokens.create(callers.current(), request);
    }

    @GET
    public Uni<List<ApiToken>> list() {
        return tokens.list(CurrentUser.id(identity));
    }

    @DELETE
    @Path("/{id}")
    @ResponseStatus(204)
    public Uni<Void> revoke(@PathParam("id") UUID id) {
        return tokens.revoke(callers.current(), id);
    }
}
