package dev.arcx.orchestrator.routing;

import dev.arcx.common.access.AccessNarrowed;
import dev.arcx.common.http.ApiException;
import dev.arcx.orchestrator.audit.AuditLog;
import dev.arcx.orchestrator.audit.Caller;
import dev.arcx.orchestrator.catalog.CatalogService;
import dev.arcx.orchestrator.catalog.Composition;
import dev.arcx.orchestrator.config.OrchestratorConfig;
import dev.arcx.orchestrator.workspace.Workspace;
import dev.arcx.orchestrator.workspace.WorkspaceRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The ports a workspace's owner (or a member of its team) forwards and who may reach each. Stored at once; Traefik
 * sees a change when the workspace's container is next (re)created, because routes are its labels and labels are
 * part of the container spec.
 */
@ApplicationScoped
public class ForwardedPortService {
    static final String TAKES_EFFECT = "at the workspace's next start or restart: routes are container labels, and "
            + "a changed route recreates the container";
    /** Path-based access reads the share on every request. */
    static final String TAKES_EFFECT_BY_PATH = "at once";

    private final ForwardedPortRepository ports;
    private final WorkspaceRepository workspaces;
    private final CatalogService catalog;
    private final EdgeRoutes edge;
    private final OrchestratorConfig config;
    private final Event<AccessNarrowed> narrowed;
    private final AuditLog audit;

    ForwardedPortService(ForwardedPortRepository ports, WorkspaceRepository workspaces, CatalogService catalog,
            EdgeRoutes edge, OrchestratorConfig config, Event<AccessNarrowed> narrowed, AuditLog audit) {
        this.audit = audit;
        this.ports = ports;
        this.workspaces = workspaces;
        this.catalog = catalog;
        this.edge = edge;
        this.config = config;
        this.narrowed = narrowed;
    }

    public Uni<List<ForwardedPortView>> list(UUID userId, UUID workspaceId) {
        return usable(userId, workspaceId).flatMap(w -> ports.list(w.id())
                .map(all -> all.stream().map(p -> view(w, p)).toList()));
    }

    /** Audited as {@code workspace.port.share} with the port and its share, in the change's transaction. */
    public Uni<ForwardedPortView> share(Caller caller, UUID workspaceId, int port, PortShareRequest request) {
        UUID userId = caller.userId();
        String wire = request == null || request.share() == null ? PortShare.OWNER.wireName() : request.share();
        PortShare share = PortShare.fromWire(wire).orElseThrow(() -> ApiException.badRequest(
                "share must be owner, authenticated or public"));
        return usable(userId, workspaceId).flatMap(w -> catalog.compose(w.resourceTierId(), w.flavorId(), w.addonIds())
                .flatMap(composition -> {
                    checkForwardable(w, composition, port);
                    return audit.inTransaction(tx -> ports.upsert(tx, w.id(), port, share)
                            .call(saved -> audit.record(tx, caller, "workspace.port.share", "workspace", w.id(),
                                    Map.of("name", w.name(), "port", port, "share", share.wireName()))));
                })
                // A narrower share closes the WebSockets it no longer admits (a wider one closes none).
                .invoke(() -> narrowed.fire(AccessNarrowed.forWorkspace(w.id())))
                .map(saved -> view(w, saved)));
    }

    /** Audited as {@code workspace.port.unshare}, in the change's transaction. */
    public Uni<Void> unshare(Caller caller, UUID workspaceId, int port) {
        return usable(caller.userId(), workspaceId).flatMap(w -> audit.inTransaction(tx -> ports.delete(tx, w.id(),
                port).flatMap(deleted -> {
                    if (!deleted) {
                        throw ApiException.notFound("port " + port + " is not forwarded");
                    }
                    return audit.record(tx, caller, "workspace.port.unshare", "workspace", w.id(),
                            Map.of("name", w.name(), "port", port));
                })).invoke(() -> narrowed.fire(AccessNarrowed.forWorkspace(w.id()))));
    }

    /**
     * The ports the workspace forwards that its selection still allows (a removed add-on takes its port's route
     * along), for its container's labels.
     */
    public Uni<List<ForwardedPort>> forwarded(UUID workspaceId, Composition composition) {
        TreeSet<Integer> allowed = forwardable(composition);
        return ports.list(workspaceId).map(all -> all.stream().filter(p -> allowed.contains(p.port())).toList());
    }

    /**
     * The forwardable ports and the selection's add-on ports, except the one the IDE route already serves: forwarding it
     * would let a share level other than owner open the IDE (a shell) to others.
     */
    private TreeSet<Integer> forwardable(Composition composition) {
        TreeSet<Integer> allowed = new TreeSet<>(config.routing().forwardablePorts());
        allowed.addAll(composition.ports());
        allowed.remove(idePort(composition));
        return allowed;
    }

    private void checkForwardable(Workspace w, Composition composition, int port) {
        TreeSet<Integer> allowed = forwardable(composition);
        int idePort = idePort(composition);
        if (!allowed.contains(port)) {
            throw ApiException.badRequest("port " + port + " cannot be forwarded; forwardable ports of this workspace: "
                    + allowed + (port == idePort ? " (" + idePort + " is the IDE's own route)" : ""));
        }
        if (edge.enabled()) {
            try {
                edge.portHost(port, w.name(), w.ownerLogin());
            } catch (IllegalArgumentException tooLong) {
                throw ApiException.badRequest(tooLong.getMessage());
            }
        }
    }

    /**
     * Whether the workspace's port may be reached now: forwarded ports are checked against the workspace's current
     * selection, as its labels are, so a port whose add-on was removed, or that became the IDE's own port, is not.
     */
    public Uni<Boolean> reachable(Workspace w, int port) {
        return catalog.compose(w.resourceTierId(), w.flavorId(), w.addonIds())
                .map(composition -> forwardable(composition).contains(port));
    }

    /** The IDE route's port: code-server's when the selection has it, else the OpenCode server's. */
    public int idePort(Composition composition) {
        return idePort(composition.addonIds());
    }

    public int idePort(List<String> addonIds) {
        return addonIds.contains("code-server") ? config.workspaces().idePort() : config.routing().agentPort();
    }

    /** Addresses are made of the owner's login, whoever of the team asks. */
    private ForwardedPortView view(Workspace w, ForwardedPort port) {
        String login = w.ownerLogin();
        if (edge.enabled()) {
            return new ForwardedPortView(port.port(), port.share(), "https://" + edge.portHost(port.port(), w.name(),
                    login), TAKES_EFFECT);
        }
        if (config.routing().pathAccess()) {
            return new ForwardedPortView(port.port(), port.share(), EdgeRoutes.portPath(port.port(), w.name(), login),
                    TAKES_EFFECT_BY_PATH);
        }
        return new ForwardedPortView(port.port(), port.share(), null, TAKES_EFFECT);
    }

    private Uni<Workspace> usable(UUID userId, UUID id) {
        return workspaces.findForUser(userId, id).onItem().ifNull()
                .failWith(() -> ApiException.notFound("no workspace " + id));
    }
}
