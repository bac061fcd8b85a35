package dev.arcx.orchestrator.team;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A team as its members see it.
 *
 * @param slug a DNS label made from the name, unique on the platform
 * @param planId the team's plan, which its workspaces count against (team: 20 workspaces)
 * @param role the caller's role: {@code owner} or {@code member}
 * @param memberCount how many members the team has (also in the list, which leaves the members out)
 * @param members the members; null in the list of one's teams
 * @param invites the invites not yet answered; null in the list of one's teams
 */
public record TeamView(UUID id, String name, String slug, String planId, UUID createdBy, OffsetDateTime createdAt,
        String role, int memberCount, List<Member> members, List<Invite> invites) {

    public record Member(UUID userId, String login, String role, OffsetDateTime joinedAt) {
    }

    /** An invite not yet accepted or declined. */
    public record Invite(UUID id, UUID teamId, String teamName, String login, UUID invitedBy,
            OffsetDateTime createdAt) {
    }

    TeamView withDetails(List<Member> members, List<Invite> invites) {
        return new TeamView(id, name, slug, planId, createdBy, createdAt, role, memberCount, members, invites);
    }
}
