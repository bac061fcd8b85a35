package dev.arcx.orchestrator.workspace;

import dev.arcx.common.http.ApiException;
import dev.arcx.orchestrator.config.OrchestratorConfig;
import dev.arcx.orchestrator.team.TeamRepository;
import dev.arcx.orchestrator.user.UserRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * The two limits on how many workspaces there may be: the plan's (the owner's, or the team's for a team workspace;
 * 403 beyond) and the platform cap on creating, starting and running ones (409 beyond). Each check locks what it
 * counts for the rest of the caller's transaction, so concurrent requests cannot both squeeze under a limit.
 */
@ApplicationScoped
class WorkspaceQuotas {
    private final WorkspaceRepository workspaces;
    private final UserRepository users;
    private final TeamRepository teams;
    private final int platformCap;

    WorkspaceQuotas(WorkspaceRepository workspaces, UserRepository users, TeamRepository teams,
            OrchestratorConfig config) {
        this.workspaces = workspaces;
        this.users = users;
        this.teams = teams;
        this.platformCap = config.workspaces().maxConcurrent();
    }

    /**
     * Locks whatever the new workspaces count against for the rest of the transaction, the owner's plan or with
     * {@code teamId} the team's (404 unless the owner is a member), and counts what it holds already.
     */
    Uni<Quota> lock(SqlClient tx, UUID ownerId, UUID teamId) {
        if (teamId == null) {
            return users.lockAndGetWorkspaceAllowance(tx, ownerId).flatMap(allowance -> workspaces
                    .countOwned(tx, ownerId).map(used -> new Quota("your plan", "you have", allowance, used)));
        }
        return teams.lockAndGetWorkspaceAllowance(tx, teamId, ownerId)
                .onItem().ifNull().failWith(() -> ApiException.notFound("no team " + teamId))
                .flatMap(allowance -> workspaces.countTeam(tx, teamId)
                        .map(used -> new Quota("the team's plan", "the team has", allowance, used)));
    }

    /**
     * Takes the platform's lock for the rest of the transaction and refuses (409) when {@code adding} more active
     * workspaces would pass the cap.
     */
    Uni<Void> lockPlatformSlots(SqlClient tx, int adding) {
        return workspaces.lockAndCountActive(tx).invoke(active -> {
            if (active + adding > platformCap) {
                throw ApiException.conflict("the platform is at its limit of " + platformCap
                        + " concurrently running workspaces" + (adding == 1 ? "" : " (" + active + " now, " + adding
                        + " more asked for)") + "; stop one or try again later");
            }
        }).replaceWithVoid();
    }

    /** A plan's workspace allowance and how many of them are used. */
    record Quota(String plan, String holder, int allowance, int used) {
        /** Refuses (403) when {@code adding} more would exceed the allowance; {@code advice} ends the message. */
        void check(int adding, String advice) {
            if (used + adding > allowance) {
                throw ApiException.forbidden(plan + " allows " + allowance + " workspace" + (allowance == 1 ? "" : "s")
                        + " and " + holder + " " + used + "; " + advice);
            }
        }
    }
}
