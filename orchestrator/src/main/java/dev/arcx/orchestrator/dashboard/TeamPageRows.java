package dev.arcx.orchestrator.dashboard;

import dev.arcx.orchestrator.team.TeamView;
import dev.arcx.orchestrator.user.ApiToken;
import dev.arcx.orchestrator.workspace.WorkspaceView;
import io.quarkus.qute.TemplateData;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/** Teams, invites, members and tokens as the team and token pages show them: flattened to text. */
final class TeamPageRows {
    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'");

    private TeamPageRows() {
    }

    /** One of the viewer's teams in the list. */
    @TemplateData
    record Team(String id, String name, String role, int members, String plan) {
        static Team of(TeamView t) {
            return new Team(t.id().toString(), t.name(), t.role(), t.memberCount(), t.planId());
        }
    }

    /** An invite not yet answered: to the viewer (in the list of teams) or to someone (on the team's page). */
    @TemplateData
    record Invite(String id, String teamId, String teamName, String login, String created) {
        static Invite of(TeamView.Invite i) {
            return new Invite(i.id().toString(), i.teamId().toString(), i.teamName(), i.login(), time(i.createdAt()));
        }
    }

    /** A member of the team; {@code self} is the viewer. */
    @TemplateData
    record Member(String userId, String login, String role, String joined, boolean self) {
        static Member of(TeamView.Member m, UUID viewerId) {
            return new Member(m.userId().toString(), m.login(), m.role(), time(m.joinedAt()),
                    m.userId().equals(viewerId));
        }
    }

    /** A workspace of the team: a link to its page. */
    @TemplateData
    record Workspace(String id, String name, String status, String ownerLogin) {
        static Workspace of(WorkspaceView w) {
            return new Workspace(w.id().toString(), w.name(), w.status().wireName(),
                    w.ownerLogin() == null ? "" : w.ownerLogin());
        }
    }

    /** A personal API token: never the token, its prefix only. */
    @TemplateData
    record Token(String id, String name, String prefix, String created, String lastUsed, String expires,
            String status) {
        static Token of(ApiToken t) {
            return new Token(t.id().toString(), t.name(), t.prefix(), time(t.createdAt()),
                    t.lastUsedAt() == null ? "never" : time(t.lastUsedAt()),
                    t.expiresAt() == null ? "never" : time(t.expiresAt()), t.status());
        }
    }

    static String time(OffsetDateTime at) {
        return at == null ? "" : MINUTES.format(at.withOffsetSameInstant(ZoneOffset.UTC));
    }
}
