package dev.arcx.orchestrator.login;

import java.time.Instant;

/**
 * The outcome of a sign-in: a new session for the account, or a refusal: someone new without a way in (account null;
 * GitHub users among them are on the waitlist now), or a suspended user (account set).
 *
 * @param sessionToken the signed token for the {@code arc_session} cookie; null when refused
 */
public record SignIn(Account account, String sessionToken, Instant expiresAt, boolean newUser, String refusal) {
    static SignIn refused(String reason) {
        return new SignIn(null, null, null, false, reason);
    }

    /** A suspended user's sign-in: refused, with the account it would have been. */
    static SignIn suspended(Account account) {
        String reason = account.suspensionReason();
        return new SignIn(account, null, null, false, "this account is suspended"
                + (reason == null || reason.isBlank() ? "" : ": " + reason) + "; ask an administrator");
    }

    public boolean signedIn() {
        return sessionToken != null;
    }
}
