package dev.arcx.orchestrator.routing;

import dev.arcx.common.auth.PlatformTokens;
import dev.arcx.common.http.ApiException;
import dev.arcx.common.tokens.SessionClaims;
import dev.arcx.orchestrator.config.OrchestratorConfig;
import dev.arcx.orchestrator.routing.EdgeRoutes.RouteAddress;
import dev.arcx.orchestrator.workspace.WorkspaceActivity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;

/**
 * Decides whether a request Traefik is about to proxy to a workspace may pass: the session is verified without the
 * database, then one query finds the workspace, the port's share level and whether the caller's session is still open.
 */
@ApplicationScoped
public class ForwardAuthService {
    private final EdgeRoutes edge;
    private final ForwardedPortRepository ports;
    private final PlatformTokens tokens;
    private final WorkspaceActivity activity;

    ForwardAuthService(EdgeRoutes edge, ForwardedPortRepository ports, OrchestratorConfig config,
            WorkspaceActivity activity) {
        this.edge = edge;
        this.ports = ports;
        this.activity = activity;
        this.tokens = new PlatformTokens(config.adminToken(), config.sessionSecret());
    }

    /**
     * The caller's login when the request may pass (empty for an anonymous visitor of a public port); fails with
     * 401 without a valid session (whether or not anything is served there: only a public port answers anonymous
     * visitors), and for a signed-in caller with 404 alike for a host that names no workspace, an unforwarded port
     * and an address the share level leaves them out of: "not yours" tells nothing "missing" would not. Every request let through is activity of the workspace (HTTP and
     * WebSocket upgrades alike), postponing its idle stop.
     */
    public Uni<Optional<String>> decide(String forwardedHost, String sessionToken) {
        Optional<RouteAddress> address = edge.parse(forwardedHost);
        if (address.isEmpty()) {
            return Uni.createFrom().failure(ApiException.notFound("no workspace is served at this host"));
        }
        return authorize(address.get(), sessionToken).map(Grant::callerLogin);
    }

    /**
     * The same decision for a parsed address, whether it came from a host name or a path: the workspace and the
     * caller's login when the request may pass, the refusals of {@link #decide} otherwise.
     */
    public Uni<Grant> authorize(RouteAddress target, String sessionToken) {
        return check(target, sessionToken).invoke(grant -> activity.touch(grant.workspaceId()));
    }

    /**
     * The decision of {@link #authorize} without counting as activity of the workspace: for connections already let
     * through that are asked again because someone's access narrowed.
     */
    public Uni<Grant> check(RouteAddress target, String sessionToken) {
        Optional<SessionClaims> session = tokens.session(sessionToken);
        UUID caller = session.map(SessionClaims::userId).orElse(null);
        return ports.access(target.workspaceName(), target.login(), target.port(), caller,
                session.map(SessionClaims::sessionId).orElse(null)).map(access -> {
            Optional<String> allowed = allow(target, access);
            return new Grant(access.workspaceId(), allowed.isPresent() ? caller : null, allowed);
        });
    }

    /**
     * The caller's login if the request may pass; throws the refusal otherwise. Anonymous callers get 401 for every
     * address but a public port, signed-in callers 404 for every address they may not reach: neither learns whether
     * a workspace or port exists.
     */
    private static Optional<String> allow(RouteAddress target, ForwardedPortRepository.RouteAccess access) {
        boolean missing = access == null || access.workspaceId() == null
                || (target.port() != null && access.share() == null);
        PortShare share = missing || target.port() == null ? PortShare.OWNER : access.share();
        Optional<String> login = Optional.ofNullable(access == null ? null : access.callerLogin());
        if (share == PortShare.PUBLIC) {
            return login;
        }
        if (login.isEmpty()) {
            throw ApiException.unauthorized("sign in to reach this address");
        }
        if (missing || (share == PortShare.OWNER && !access.mayUse())) {
            throw ApiException.notFound("no workspace is served at this address");
        }
        return login;
    }

    /**
     * A request let through.
     *
     * @param callerId the signed-in caller, null for an anonymous visitor of a public port
     * @param callerLogin the signed-in caller's login, empty for an anonymous visitor of a public port
     */
    public record Grant(UUID workspaceId, UUID callerId, Optional<String> callerLogin) {
    }
}
