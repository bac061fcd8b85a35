package dev.arcx.orchestrator.user;

/**
 * A plan (free, pro, team) as the admin pages show it.
 *
 * @param users how many users are on it
 */
public record Plan(String id, String name, int maxWorkspaces, long users) {
}
