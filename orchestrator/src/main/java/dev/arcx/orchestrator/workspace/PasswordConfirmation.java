package dev.arcx.orchestrator.workspace;

/**
 * Optional body of stop and delete: the password of a protected workspace. The header
 * {@code X-Arcx-Workspace-Password} does the same for clients that send no body (a browser's DELETE).
 */
public record PasswordConfirmation(String password) {
}
