package dev.arcx.orchestrator.routing;

/**
 * A forwarded port as the API shows it.
 *
 * @param url where the port is reached, null while routing is off (local mode)
 * @param takesEffect when a change reaches the edge proxy: routes are container labels, so at the next (re)creation
 */
public record ForwardedPortView(int port, PortShare share, String url, String takesEffect) {
}
