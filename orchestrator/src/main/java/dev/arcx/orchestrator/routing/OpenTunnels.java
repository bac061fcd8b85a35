package dev.arcx.orchestrator.routing;

import dev.arcx.common.access.AccessNarrowed;
import dev.arcx.orchestrator.routing.EdgeRoutes.RouteAddress;
import io.vertx.core.net.NetSocket;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The WebSockets open through path access. A handshake is authorised once, but a tunnel can live for hours (the IDE's
 * own connection does): when someone's access narrows, their tunnels are authorised again exactly as a new handshake
 * would be, and those that would now be refused are closed.
 */
@ApplicationScoped
public class OpenTunnels {
    private static final Logger LOG = Logger.getLogger(OpenTunnels.class);

    private final ForwardAuthService auth;
    private final Set<Tunnel> open = ConcurrentHashMap.newKeySet();

    OpenTunnels(ForwardAuthService auth) {
        this.auth = auth;
    }

    /**
     * An open tunnel, until either side closes.
     *
     * @param callerId the signed-in visitor, null for an anonymous visitor of a public port
     * @param session the visitor's session token as the handshake carried it (null when anonymous)
     */
    record Tunnel(UUID callerId, UUID workspaceId, RouteAddress target, String session, NetSocket visitor,
            NetSocket workspace) {
        void close() {
            visitor.close();
            workspace.close();
        }

        // Identity, not the record's value equality: two tunnels of one visitor to one address are two tunnels.
        @Override
        public boolean equals(Object other) {
            return this == other;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    void opened(Tunnel tunnel) {
        open.add(tunnel);
    }

    void closed(Tunnel tunnel) {
        open.remove(tunnel);
    }

    /** How many tunnels are open (for tests and metrics). */
    int count() {
        return open.size();
    }

    void onAccessNarrowed(@Observes AccessNarrowed narrowed) {
        open.stream().filter(t -> (narrowed.userId() != null && narrowed.userId().equals(t.callerId()))
                || (narrowed.workspaceId() != null && narrowed.workspaceId().equals(t.workspaceId())))
                .forEach(this::recheck);
    }

    private void recheck(Tunnel tunnel) {
        auth.check(tunnel.target(), tunnel.session()).subscribe().with(grant -> {
            if (!Objects.equals(grant.workspaceId(), tunnel.workspaceId())) {
                refused(tunnel, "the address names another workspace now");
            }
        }, failure -> refused(tunnel, failure.getMessage()));
    }

    private void refused(Tunnel tunnel, String why) {
        LOG.debugf("closing a WebSocket to workspace %s: %s", tunnel.workspaceId(), why);
        open.remove(tunnel);
        tunnel.close();
    }
}
