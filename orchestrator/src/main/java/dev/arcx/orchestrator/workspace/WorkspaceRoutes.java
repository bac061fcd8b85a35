package dev.arcx.orchestrator.workspace;

import dev.arcx.orchestrator.catalog.Composition;
import java.util.Map;
import java.util.Optional;

/**
 * What a workspace's life needs of the edge: whether Traefik routes workspaces by host name, the engine network it
 * reaches them on, the labels that route one, and whether a name fits those host names. The {@code routing} feature
 * answers it: routing lets requests through to workspaces and so stands on this package, which asks through this
 * interface instead of importing it back.
 */
public interface WorkspaceRoutes {
    /** Whether Traefik routes workspaces by host name (a wildcard domain is set); containers then join its network. */
    boolean enabled();

    /** The engine network Traefik reaches workspaces on. */
    String network();

    /** The bridge of {@link #network()}, named so the host firewall guard covers it. */
    String bridgeName();

    /**
     * Why a workspace named {@code name} of the user {@code login} could not be routed, if it could not; always empty
     * while routing is off.
     */
    Optional<String> nameProblem(String name, String login);

    /**
     * Traefik's labels for the workspace's container (its IDE and each port it forwards that the selection still
     * allows); blocking, for the lifecycle's virtual threads.
     *
     * @param login the owner's login, part of the host names
     * @throws IllegalArgumentException when the name and login make no DNS label
     */
    Map<String, String> labels(Workspace w, String login, Composition composition);
}
