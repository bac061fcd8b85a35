package dev.arcx.orchestrator.routing;

import dev.arcx.common.auth.PlatformTokens;
import dev.arcx.common.http.ApiException;
import dev.arcx.common.tokens.SessionClaims;
import dev.arcx.orchestrator.config.OrchestratorConfig;
import dev.arcx.orchestrator.routing.EdgeRoutes.RouteAddress;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;

/**
 * Decides whether a request Traefik is about to proxy to a workspace may pass: the session is verified without the
 * database, then one query finds the workspace, the port's share level and whether the caller still exists.
 */
@ApplicationScoped
public class ForwardAuthService {
    private final EdgeRoutes edge;
    private final ForwardedPortRepository ports;
    private final PlatformTokens tokens;

    ForwardAuthService(EdgeRoutes edge, ForwardedPortRepository ports, OrchestratorConfig config) {
        this.edge = edge;
        this.ports = ports;
        this.tokens = new PlatformTokens(config.adminToken(), config.sessionSecret());
    }

    /**
     * The caller's login when the request may pass (empty for an anonymous visitor of a public port); fails with
     * 404 for a host that names no workspace or an unforwarded port, 401 without a valid session, 403 for a
     * signed-in user the share level leaves out.
     */
    public Uni<Optional<String>> decide(String forwardedHost, String sessionToken) {
        Optional<RouteAddress> address = edge.parse(forwardedHost);
        if (address.isEmpty()) {
            return Uni.createFrom().failure(ApiException.notFound("no workspace is served at this host"));
        }
        RouteAddress target = address.get();
        UUID caller = tokens.session(sessionToken).map(SessionClaims::userId).orElse(null);
        return ports.access(target.workspaceName(), target.login(), target.port(), caller).map(access -> {
            if (access == null || (target.port() != null && access.share() == null)) {
                throw ApiException.notFound("no workspace is served at this host");
            }
            PortShare share = target.port() == null ? PortShare.OWNER : access.share();
            Optional<String> login = Optional.ofNullable(access.callerLogin());
            if (share == PortShare.PUBLIC) {
                return login;
            }
            if (login.isEmpty()) {
                throw new ApiException(401, "Unauthorized", "sign in to reach this workspace");
            }
            if (share == PortShare.OWNER && !access.ownerId().equals(caller)) {
                throw ApiException.forbidden("only the workspace's owner may reach this address");
            }
            return login;
        });
    }
}
