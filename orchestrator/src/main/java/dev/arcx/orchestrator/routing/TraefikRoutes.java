package dev.arcx.orchestrator.routing;

import dev.arcx.orchestrator.catalog.Composition;
import dev.arcx.orchestrator.workspace.Workspace;
import dev.arcx.orchestrator.workspace.WorkspaceRoutes;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;

/** The edge's answers to a workspace's lifecycle: {@link EdgeRoutes}' host names and labels, with the forwarded ports. */
@ApplicationScoped
public class TraefikRoutes implements WorkspaceRoutes {
    private final EdgeRoutes edge;
    private final ForwardedPortService ports;

    TraefikRoutes(EdgeRoutes edge, ForwardedPortService ports) {
        this.edge = edge;
        this.ports = ports;
    }

    @Override
    public boolean enabled() {
        return edge.enabled();
    }

    @Override
    public String network() {
        return edge.network();
    }

    @Override
    public String bridgeName() {
        return edge.bridgeName();
    }

    @Override
    public Optional<String> nameProblem(String name, String login) {
        return edge.enabled() ? edge.nameProblem(name, login) : Optional.empty();
    }

    @Override
    public Map<String, String> labels(Workspace w, String login, Composition composition) {
        return edge.labels(w.id(), w.name(), login, ports.idePort(composition),
                ports.forwarded(w.id(), composition).await().indefinitely());
    }
}
