package dev.arcx.orchestrator.routing;

/**
 * A forwarded port as the API shows it.
 *
 * @param url where the port is reached: its host with routing on, else its path on the orchestrator
 *         ({@code /@<login>/<workspace>/ports/<port>/}), null when path-based access is off too
 * @param takesEffect when a change reaches the edge proxy: routes are container labels, so at the next (re)creation;
 *         path-based access reads the share on every request, so at once
 */
public record ForwardedPortView(int port, PortShare share, String url, String takesEffect) {
}
