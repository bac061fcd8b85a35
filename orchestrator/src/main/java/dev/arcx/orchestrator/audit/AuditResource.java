package dev.arcx.orchestrator.audit;

import dev.arcx.common.auth.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** The audit log, for the administrator only. */
@Path("/api/admin/audit")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {
    private final AuditLog audit;

    AuditResource(AuditLog audit) {
        this.audit = audit;
    }

    /** Times and limit arrive as text so a malformed value is this API's 400, not the framework's 404. */
    @GET
    public Uni<AuditPage> search(@QueryParam("actor") String actor, @QueryParam("action") String action,
            @QueryParam("targetId") String targetId, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return audit.search(actor, action, targetId, from, to, limit, cursor);
    }
}
