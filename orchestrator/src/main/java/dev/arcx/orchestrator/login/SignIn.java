package dev.arcx.orchestrator.login;

import java.time.Instant;

/**
 * The outcome of a sign-in: a new session for the account, or a refusal (someone new without a way in; GitHub
 * users among them are on the waitlist now).
 *
 * @param sessionToken the signed token for the {@code arc_session} cookie; null when refused
 */
public record SignIn(Account account, String sessionToken, Instant expiresAt, boolean newUser, String refusal) {
    static SignIn refused(String reason) {
        return new SignIn(null, null, null, false, reason);
    }

    public boolean signedIn() {
        return sessionToken != null;
    }
}
