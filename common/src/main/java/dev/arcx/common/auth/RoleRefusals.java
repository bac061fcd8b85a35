package dev.arcx.common.auth;

import dev.arcx.common.http.ProblemMapper;
import io.quarkus.security.ForbiddenException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The 403 of a refused role check ({@code @RolesAllowed}), with a detail that is true whoever was refused. The
 * administrator token holds no user's role, so it is refused exactly the operations that act for a user; anyone else
 * (a user; in a service that trusts only the token for administration, also an administrator's session) is refused an
 * administrator's operation.
 */
public class RoleRefusals {
    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, HttpServerRequest request, ContainerRequestContext context) {
        return ProblemMapper.problem(403, "Forbidden", detail(context.getSecurityContext()), request);
    }

    static String detail(SecurityContext caller) {
        if (caller.isUserInRole(Roles.ADMIN) && !caller.isUserInRole(Roles.USER)) {
            return "this operation acts for a user, and the administrator token is no user: call it with a user's "
                    + "API token or session";
        }
        return "this operation is for administrators, and the credential sent is not an administrator's";
    }
}
