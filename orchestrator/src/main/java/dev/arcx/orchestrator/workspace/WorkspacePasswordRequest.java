package dev.arcx.orchestrator.workspace;

/**
 * Body of {@code PUT /api/workspaces/{id}/password}: {@code newPassword} alone sets a password on an unprotected
 * workspace; {@code currentPassword} with {@code newPassword} changes it; {@code currentPassword} with
 * {@code removePassword: true} removes it.
 */
public record WorkspacePasswordRequest(String currentPassword, String newPassword, Boolean removePassword) {
}
