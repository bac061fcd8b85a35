package dev.arcx.orchestrator.access;

import dev.arcx.common.access.AccessAnswer;
import dev.arcx.common.access.AccessCheck;
import dev.arcx.common.access.WorkspaceRole;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The answer to "may this user use this workspace, and as what?": the workspace's owner for a personal workspace,
 * the team's owners and members for a team's, never a suspended user. Not allowed says nothing more: a missing
 * workspace, someone else's and an unknown user answer alike.
 */
@ApplicationScoped
public class AccessService {
    private final AccessRepository access;

    AccessService(AccessRepository access) {
        this.access = access;
    }

    /** The answer; an error answer for a check that does not name both a user and a workspace. */
    public Uni<AccessAnswer> check(AccessCheck check) {
        if (check == null || check.userId() == null || check.workspaceId() == null) {
            return Uni.createFrom().item(AccessAnswer.error("an access check names a userId and a workspaceId"));
        }
        return access.role(check.userId(), check.workspaceId()).map(role -> role.map(AccessService::answer)
                .orElseGet(AccessAnswer::denied));
    }

    private static AccessAnswer answer(String role) {
        return AccessAnswer.allowed(AccessRepository.PERSONAL.equals(role) ? WorkspaceRole.OWNER
                : WorkspaceRole.ofTeamRole(role));
    }
}
