package dev.arcx.orchestrator.workspace;

/** Body of {@code POST /api/workspaces/{id}/clone}: how many clones to make. */
public record CloneWorkspaceRequest(Integer count) {
}
