package dev.arcx.orchestrator.routing;

import static dev.arcx.common.workspace.WorkspaceStatus.RUNNING;

import dev.arcx.common.http.ApiException;
import dev.arcx.common.support.Blocking;
import dev.arcx.orchestrator.docker.DockerEngine;
import dev.arcx.orchestrator.routing.EdgeRoutes.RouteAddress;
import dev.arcx.orchestrator.workspace.Workspace;
import dev.arcx.orchestrator.workspace.WorkspaceRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a request let through goes: the running workspace's container, on its own network, at the IDE's port or a
 * reachable forwarded port. The orchestrator reaches the container the way its readiness check does, at the
 * container's address on the workspace network (the host is on that bridge). Addresses are kept per container, so a
 * page's hundred requests cost one engine inspection.
 */
@ApplicationScoped
public class WorkspaceTargets {
    private final WorkspaceRepository workspaces;
    private final ForwardedPortService ports;
    private final DockerEngine engine;
    private final Blocking blocking;
    private final Map<UUID, Address> addresses = new ConcurrentHashMap<>();

    WorkspaceTargets(WorkspaceRepository workspaces, ForwardedPortService ports, DockerEngine engine,
            Blocking blocking) {
        this.workspaces = workspaces;
        this.ports = ports;
        this.engine = engine;
        this.blocking = blocking;
    }

    /**
     * The upstream of a request {@link ForwardAuthService#authorize} let through: 404 for a forwarded port the
     * selection no longer allows (as its missing label would be), 503 while the workspace is not running.
     */
    public Uni<Target> resolve(UUID workspaceId, RouteAddress address) {
        return workspaces.findById(workspaceId).flatMap(w -> {
            if (w == null) {
                return Uni.createFrom().failure(ApiException.notFound("no workspace is served at this address"));
            }
            Uni<Integer> port = address.port() == null ? Uni.createFrom().item(ports.idePort(w.addonIds()))
                    : ports.reachable(w, address.port()).map(reachable -> {
                        if (!reachable) {
                            throw ApiException.notFound("no workspace is served at this address");
                        }
                        return address.port();
                    });
            return port.flatMap(p -> {
                if (w.status() != RUNNING || w.containerId() == null) {
                    return Uni.createFrom().failure(notRunning(w));
                }
                return ip(w).map(ip -> new Target(w.id(), ip, p));
            });
        });
    }

    /** The address did not answer: the container may have been recreated or restarted; look it up again next time. */
    public void forget(UUID workspaceId) {
        addresses.remove(workspaceId);
    }

    private Uni<String> ip(Workspace w) {
        Address known = addresses.get(w.id());
        if (known != null && known.containerId().equals(w.containerId())) {
            return Uni.createFrom().item(known.ip());
        }
        return blocking.call(() -> engine.inspect(w.containerId())
                .flatMap(container -> DockerEngine.address(container, w.networkName()))
                .orElseThrow(() -> unavailable("the workspace's container has no address yet; try again in a moment")))
                .invoke(ip -> addresses.put(w.id(), new Address(w.containerId(), ip)));
    }

    private static ApiException notRunning(Workspace w) {
        String name = "the workspace '" + w.name() + "'";
        return switch (w.status()) {
            case CREATING, BUILDING_IMAGE, STARTING -> unavailable(name + " is starting; reload in a moment");
            case STOPPING -> unavailable(name + " is stopping");
            case FAILED -> unavailable(name + " has failed; its owner sees why in the dashboard and can start it again");
            default -> unavailable(name + " is " + w.status().wireName() + "; its owner can start it again");
        };
    }

    static ApiException unavailable(String detail) {
        return ApiException.unavailable("Workspace not running", detail);
    }

    /** A running workspace's port, at its container's address on the workspace network. */
    public record Target(UUID workspaceId, String ip, int port) {
    }

    private record Address(String containerId, String ip) {
    }
}
