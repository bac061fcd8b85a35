package dev.arcx.orchestrator.account;

import dev.arcx.common.access.AccessNarrowed;
import dev.arcx.common.events.SessionRevocation;
import dev.arcx.common.http.ApiException;
import dev.arcx.orchestrator.audit.AuditLog;
import dev.arcx.orchestrator.audit.Caller;
import dev.arcx.orchestrator.audit.Tombstones;
import dev.arcx.orchestrator.events.EventPublisher;
import dev.arcx.orchestrator.sandbox.SandboxService;
import dev.arcx.orchestrator.team.TeamService;
import dev.arcx.orchestrator.workspace.Workspace;
import dev.arcx.orchestrator.workspace.WorkspaceService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Erasing a user (by an administrator, or the user themselves): in one transaction their workspaces go to deleting,
 * their tokens, sessions, webhooks, team memberships and pending invites go, and their row becomes a tombstone
 * ({@code deleted-user-<hash>}, no name, e-mail, avatar or GitHub id) that keeps the id other rows point at; audit
 * entries by or about them name the tombstone, and the erasure is audited. Refused (409, nothing changed) while they
 * are the last owner of a team that has other members. After the commit their sessions are revoked on NATS (like a
 * logout), the lifecycle removes the workspaces' containers and volumes, and their sandbox sessions end. The same
 * GitHub account signing in later is someone new.
 */
@ApplicationScoped
public class UserErasure {
    private static final Logger LOG = Logger.getLogger(UserErasure.class);
    private static final String REASON = "the owner's account was erased";

    private final ErasureRepository erasures;
    private final WorkspaceService workspaces;
    private final SandboxService sandbox;
    private final AuditLog audit;
    private final EventPublisher events;
    private final Event<AccessNarrowed> narrowed;

    UserErasure(ErasureRepository erasures, WorkspaceService workspaces, SandboxService sandbox, AuditLog audit,
            EventPublisher events, Event<AccessNarrowed> narrowed) {
        this.erasures = erasures;
        this.workspaces = workspaces;
        this.sandbox = sandbox;
        this.audit = audit;
        this.events = events;
        this.narrowed = narrowed;
    }

    /** What was removed, as the API answers it; the tombstone is what the audit log now calls the user. */
    public record Erased(String tombstone, int workspaces, int tokens, int sessions, int webhooks, int teamsLeft) {
    }

    /** The administrator erases user {@code id}; 404 for an unknown (or already erased) user. */
    public Uni<Erased> eraseByAdministrator(Caller caller, UUID id) {
        if (caller.actor().equals(id.toString())) {
            return Uni.createFrom().failure(ApiException.conflict("erase your own account through DELETE /api/me"));
        }
        return erase(caller, id, null, "admin.user.erase");
    }

    /** The signed-in user erases their own account, confirming it by repeating their login (any case); 400 else. */
    public Uni<Erased> eraseSelf(Caller caller, UserRequests.Erase request) {
        String confirmation = request == null ? null : request.login();
        if (confirmation == null || confirmation.isBlank()) {
            return Uni.createFrom().failure(ApiException.badRequest(
                    "confirm the erasure with your login: {\"login\": \"<your login>\"}"));
        }
        return erase(caller, caller.userId(), confirmation.strip(), "user.erase");
    }

    private Uni<Erased> erase(Caller caller, UUID id, String confirmation, String action) {
        String tombstone = Tombstones.of(id);
        // The erased user's own request is recorded under the tombstone, like everything else they did.
        Caller actor = confirmation == null ? caller : new Caller(tombstone, caller.sourceIp());
        return audit.inTransaction(tx -> erasures.lock(tx, id)
                .onItem().ifNull().failWith(() -> ApiException.notFound("no user " + id))
                .flatMap(user -> {
                    if (confirmation != null && !confirmation.equalsIgnoreCase(user.login())) {
                        throw ApiException.badRequest("login does not match your account's login; nothing was "
                                + "erased");
                    }
                    return erasures.memberships(tx, id).flatMap(memberships -> {
                        for (ErasureRepository.Membership m : memberships) {
                            if (m.role().equals(TeamService.OWNER) && m.owners() <= 1 && m.members() > 1) {
                                throw ApiException.conflict("the account is the last owner of the team '"
                                        + m.teamName() + "', which has other members: make one of them an owner "
                                        + "first (nothing was erased)");
                            }
                        }
                        List<UUID> soleTeams = memberships.stream().filter(m -> m.members() <= 1)
                                .map(ErasureRepository.Membership::teamId).toList();
                        return erasures.workspaces(tx, id, soleTeams)
                                .flatMap(ids -> workspaces.deleteAll(tx, actor, ids, REASON))
                                .flatMap(deleted -> erasures.removeOwned(tx, id, user.login(), soleTeams)
                                        .call(() -> erasures.tombstoneAudit(tx, id, user.login(), tombstone))
                                        .call(() -> erasures.tombstone(tx, id, tombstone))
                                        .map(removed -> new Result(deleted, new Erased(tombstone, deleted.size(),
                                                removed.tokens(), removed.sessions(), removed.webhooks(),
                                                removed.memberships()))))
                                .call(result -> audit.record(tx, actor, action, "user", tombstone,
                                        details(result.erased())));
                    });
                }))
                .call(result -> afterCommit(id, result.deleted()))
                .map(Result::erased);
    }

    /** What reaches other services and the engine only once the erasure committed. */
    private Uni<Void> afterCommit(UUID id, List<Workspace> deleted) {
        events.publish(SessionRevocation.ofUser(id, "erased"));
        narrowed.fire(AccessNarrowed.forUser(id));
        workspaces.movesCommitted(deleted);
        return sandbox.sessions(id).onItem().transformToMulti(sessions -> Multi.createFrom().iterable(sessions))
                .onItem().transformToUniAndConcatenate(session -> sandbox.endSession(id, session.id())
                        .onFailure().recoverWithItem(failure -> {
                            LOG.warnf(failure, "sandbox session %s of an erased user did not end; its janitor "
                                    + "removes it", session.id());
                            return null;
                        }))
                .collect().asList().replaceWithVoid();
    }

    private static Map<String, Object> details(Erased erased) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("workspaces", erased.workspaces());
        details.put("tokens", erased.tokens());
        details.put("sessions", erased.sessions());
        details.put("webhooks", erased.webhooks());
        details.put("teamsLeft", erased.teamsLeft());
        return details;
    }


    private record Result(List<Workspace> deleted, Erased erased) {
    }
}
