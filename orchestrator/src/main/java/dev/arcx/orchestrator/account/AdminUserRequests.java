package dev.arcx.orchestrator.account;

/** Bodies of the admin users API. */
public final class AdminUserRequests {
    private AdminUserRequests() {
    }

    /** {@code PATCH /api/admin/users/{id}}: what to change; a field left out stays as it is. */
    public record Update(String plan, Boolean admin) {
    }

    /** {@code POST /api/admin/users/{id}/suspend}: why, shown to the user when they try to sign in. */
    public record Suspend(String reason) {
    }
}
