package dev.arcx.orchestrator.account;

/** Bodies of the signed-in user's own account API. */
public final class UserRequests {
    private UserRequests() {
    }

    /** {@code DELETE /api/me}: the account's login, repeated as the confirmation that it is to be erased. */
    public record Erase(String login) {
    }
}
