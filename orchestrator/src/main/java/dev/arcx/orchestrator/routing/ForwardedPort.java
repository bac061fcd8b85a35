package dev.arcx.orchestrator.routing;

/** A row of {@code forwarded_ports}. */
public record ForwardedPort(int port, PortShare share) {
}
