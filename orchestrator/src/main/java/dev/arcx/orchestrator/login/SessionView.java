package dev.arcx.orchestrator.login;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.UUID;

/**
 * Answer of {@code GET /api/session}: who is calling, and what every page needs to know about sign-in (whether the
 * development sign-in is on, to show its banner; whether GitHub sign-in is configured; the signup mode).
 *
 * @param role {@code user}, or {@code admin} for the admin token and for users who are administrators; null when
 *         anonymous
 * @param csrfToken the value state changes made with the session cookie send in {@code X-CSRF-Token}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SessionView(boolean authenticated, UserView user, String role, String csrfToken, boolean devLogin,
        boolean githubLogin, String signupMode) {

    public record UserView(UUID id, String login, String name, String avatarUrl, String email, String plan) {
        static UserView of(Account account) {
            return new UserView(account.id(), account.login(), account.name(), account.avatarUrl(), account.email(),
                    account.plan());
        }
    }
}
