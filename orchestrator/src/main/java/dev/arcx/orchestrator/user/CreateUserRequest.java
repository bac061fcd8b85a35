package dev.arcx.orchestrator.user;

/** Body of {@code POST /api/admin/users}. */
public record CreateUserRequest(String login, String plan) {
}
