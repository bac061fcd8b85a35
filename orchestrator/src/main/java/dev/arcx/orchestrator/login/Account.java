package dev.arcx.orchestrator.login;

import java.util.UUID;

/** A user as sign-in and the session answer see them: who they are on GitHub, and their plan. */
public record Account(UUID id, String login, String plan, String name, String avatarUrl, String email,
        Long githubId) {
}
