package dev.arcx.orchestrator.routing;

/** Body of {@code PUT /api/workspaces/{id}/ports/{port}}; an omitted share means owner. */
public record PortShareRequest(String share) {
}
