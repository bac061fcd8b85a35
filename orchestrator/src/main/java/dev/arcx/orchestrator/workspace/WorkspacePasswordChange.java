package dev.arcx.orchestrator.workspace;

import static dev.arcx.common.workspace.WorkspaceStatus.DELETING;
import static dev.arcx.common.workspace.WorkspaceStatus.RUNNING;
import static dev.arcx.common.workspace.WorkspaceStatus.STOPPING;

import dev.arcx.common.http.ApiException;
import dev.arcx.common.support.Blocking;
import dev.arcx.orchestrator.audit.AuditLog;
import dev.arcx.orchestrator.audit.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Setting, changing or removing a workspace's password (see {@link WorkspacePasswordRequest}), and the IDE following:
 * its auth file written into the container, and a running workspace restarted so code-server reads it.
 */
@ApplicationScoped
class WorkspacePasswordChange {
    private static final Logger LOG = Logger.getLogger(WorkspacePasswordChange.class);

    private final WorkspaceRepository workspaces;
    private final WorkspacePasswords passwords;
    private final WorkspaceLifecycle lifecycle;
    private final WorkspaceStates states;
    private final WorkspaceViews views;
    private final Blocking blocking;
    private final AuditLog audit;

    WorkspacePasswordChange(WorkspaceRepository workspaces, WorkspacePasswords passwords, WorkspaceLifecycle lifecycle,
            WorkspaceStates states, WorkspaceViews views, Blocking blocking, AuditLog audit) {
        this.workspaces = workspaces;
        this.passwords = passwords;
        this.lifecycle = lifecycle;
        this.states = states;
        this.views = views;
        this.blocking = blocking;
        this.audit = audit;
    }

    /**
     * Sets, changes or removes the workspace's password; a protected workspace needs its current password for either
     * of the last two. Audited as {@code workspace.password.set|update|remove} in the change's transaction.
     */
    Uni<WorkspaceView> change(Caller caller, UUID id, WorkspacePasswordRequest request) {
        if (request == null) {
            return Uni.createFrom().failure(ApiException.badRequest(
                    "a JSON body with newPassword, or currentPassword with newPassword or removePassword: true"));
        }
        boolean remove = Boolean.TRUE.equals(request.removePassword());
        if (remove && request.newPassword() != null) {
            return Uni.createFrom().failure(ApiException.badRequest("give newPassword or removePassword, not both"));
        }
        Optional<String> badPassword = remove ? Optional.empty()
                : WorkspacePasswords.problem("newPassword", request.newPassword());
        if (badPassword.isPresent()) {
            return Uni.createFrom().failure(ApiException.badRequest(badPassword.get()));
        }
        UUID userId = caller.userId();
        return usable(userId, id).flatMap(w -> {
            if (w.status() == DELETING) {
                throw ApiException.conflict("the workspace is being deleted");
            }
            if (remove && !w.passwordProtected()) {
                throw ApiException.conflict("the workspace has no password to remove");
            }
            String action = remove ? "remove" : w.passwordProtected() ? "update" : "set";
            return passwords.require(caller, w, request.currentPassword(), "password." + action,
                    "send its currentPassword to change or remove the password")
                    .chain(() -> remove ? Uni.createFrom().<PasswordHashes>nullItem()
                            : passwords.hash(request.newPassword()))
                    .flatMap(hashes -> audit.inTransaction(tx -> workspaces.setPassword(tx, userId, id,
                                    w.passwordProtected(), hashes)
                            .onItem().ifNull().failWith(() -> ApiException.conflict(
                                    "the workspace's password or state changed meanwhile; try again"))
                            .call(changed -> audit.record(tx, caller, WorkspaceService.AUDIT_TARGET + ".password."
                                    + action, WorkspaceService.AUDIT_TARGET, id, Map.of("name", changed.name(),
                                            "passwordProtected", changed.passwordProtected())))))
                    // Read again: a running workspace is now stopping to restart with the new file.
                    .flatMap(changed -> applyIdeAuth(id).chain(() -> usable(userId, id)));
        }).flatMap(views::of);
    }

    /**
     * Writes the IDE's auth file and restarts a running workspace so it takes effect. A failed write is logged and
     * not the caller's problem: the password is stored, and every start writes the file from the database.
     */
    private Uni<Void> applyIdeAuth(UUID id) {
        return blocking.call(() -> lifecycle.writeIdeAuth(id))
                .flatMap(w -> w == null || w.status() != RUNNING ? Uni.createFrom().<Workspace>nullItem()
                        : workspaces.transition(id, List.of(RUNNING), STOPPING, WorkspaceLifecycle.RESTARTING))
                .invoke(restarting -> {
                    if (restarting != null) {
                        states.announce(restarting);
                        lifecycle.drive(id);
                    }
                })
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf(failure, "workspace %s: the IDE's auth file was not written; the next start writes it", id);
                    return null;
                })
                .replaceWithVoid();
    }

    /** The workspace if the user may use it (the owner of a personal one, a member of a team's); 404 otherwise. */
    private Uni<Workspace> usable(UUID userId, UUID id) {
        return workspaces.findForUser(userId, id).onItem().ifNull().failWith(() -> WorkspaceService.notFound(id));
    }
}
