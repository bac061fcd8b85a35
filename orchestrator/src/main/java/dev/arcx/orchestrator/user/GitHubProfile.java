package dev.arcx.orchestrator.user;

import dev.arcx.common.text.UserText;

/**
 * Who signs in: a GitHub account as its API describes it, or a local user of the development sign-in (no GitHub id).
 *
 * @param githubId GitHub's numeric user id, stable across login renames; null for the development sign-in
 * @param email the primary verified address, else the public one, else null
 */
public record GitHubProfile(Long githubId, String login, String name, String avatarUrl, String email) {
    /** The display name is the user's choice on GitHub: shown here without control or bidi characters. */
    public GitHubProfile {
        name = UserText.displayable(name);
    }
}
