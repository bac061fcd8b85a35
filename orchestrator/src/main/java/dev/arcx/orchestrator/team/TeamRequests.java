package dev.arcx.orchestrator.team;

/** Bodies of the team API's requests. */
public final class TeamRequests {
    private TeamRequests() {
    }

    /** {@code POST /api/teams}: the name, 1-40 characters once trimmed. */
    public record Create(String name) {
    }

    /** {@code PATCH /api/teams/{id}}: a new name, as for {@link Create}. */
    public record Rename(String name) {
    }

    /** {@code PATCH /api/admin/teams/{id}}: the team's plan, an id of the plans table. */
    public record Plan(String plan) {
    }

    /** {@code POST /api/teams/{id}/invites}: the invitee's GitHub login (any case). */
    public record Invite(String login) {
    }

    /** {@code PATCH /api/teams/{id}/members/{userId}}: {@code owner} or {@code member}. */
    public record Role(String role) {
    }
}
