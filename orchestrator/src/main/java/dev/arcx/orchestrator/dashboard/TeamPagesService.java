package dev.arcx.orchestrator.dashboard;

import dev.arcx.common.http.ApiException;
import dev.arcx.orchestrator.team.TeamService;
import dev.arcx.orchestrator.user.ApiTokenService;
import dev.arcx.orchestrator.workspace.WorkspaceService;
import dev.arcx.orchestrator.web.Pages;
import dev.arcx.orchestrator.web.Viewer;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** The team and token pages: what each shows, from the team, workspace and token services, rendered with Qute. */
@ApplicationScoped
public class TeamPagesService {
    private final TeamService teams;
    private final WorkspaceService workspaces;
    private final ApiTokenService tokens;
    private final Pages pages;
    private final Template list;
    private final Template team;
    private final Template tokenList;

    TeamPagesService(TeamService teams, WorkspaceService workspaces, ApiTokenService tokens, Pages pages,
            @Location("dashboard/teams.html") Template list, @Location("dashboard/team.html") Template team,
            @Location("dashboard/tokens.html") Template tokenList) {
        this.teams = teams;
        this.workspaces = workspaces;
        this.tokens = tokens;
        this.pages = pages;
        this.list = list;
        this.team = team;
        this.tokenList = tokenList;
    }

    /** The viewer's teams and the invites waiting for the viewer. */
    public Uni<String> teams(Viewer viewer) {
        Uni<List<TeamPageRows.Team>> mine = teams.list(viewer.id())
                .map(found -> found.stream().map(TeamPageRows.Team::of).toList());
        return Uni.combine().all().unis(mine, teams.invitesFor(viewer.login())).asTuple()
                .map(both -> pages.page(list, viewer, "Teams", "teams")
                        .data("teams", both.getItem1())
                        .data("invites", both.getItem2().stream().map(TeamPageRows.Invite::of).toList())
                        .render());
    }

    /** The team's page; 404 unless the viewer is a member (a malformed id too), as the API answers. */
    public Uni<String> team(Viewer viewer, String id) {
        UUID teamId;
        try {
            teamId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(ApiException.notFound("no team '" + id + "'"));
        }
        return teams.get(viewer.id(), teamId).flatMap(t -> workspaces.list(viewer.id()).map(all -> pages
                .page(team, viewer, t.name(), "teams")
                .data("team", TeamPageRows.Team.of(t))
                .data("slug", t.slug())
                .data("owner", TeamService.OWNER.equals(t.role()))
                .data("members", t.members().stream().map(m -> TeamPageRows.Member.of(m, viewer.id())).toList())
                .data("invites", t.invites().stream().map(TeamPageRows.Invite::of).toList())
                .data("workspaces", all.stream().filter(w -> teamId.equals(w.teamId()))
                        .map(TeamPageRows.Workspace::of).toList())
                .render()));
    }

    public Uni<String> tokens(Viewer viewer) {
        return tokens.list(viewer.id()).map(found -> pages.page(tokenList, viewer, "API tokens", "tokens")
                .data("tokens", found.stream().map(TeamPageRows.Token::of).toList()).render());
    }
}
