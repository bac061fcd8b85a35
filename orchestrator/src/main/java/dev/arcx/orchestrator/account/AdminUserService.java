package dev.arcx.orchestrator.account;

import dev.arcx.common.access.AccessNarrowed;
import dev.arcx.common.events.SessionRevocation;
import dev.arcx.common.http.ApiException;
import dev.arcx.common.text.UserText;
import dev.arcx.orchestrator.audit.AuditLog;
import dev.arcx.orchestrator.audit.Caller;
import dev.arcx.orchestrator.events.EventPublisher;
import dev.arcx.orchestrator.login.AccountRepository;
import dev.arcx.orchestrator.support.QueryNumbers;
import dev.arcx.orchestrator.user.AdminUserPage;
import dev.arcx.orchestrator.user.AdminUserView;
import dev.arcx.orchestrator.user.Plan;
import dev.arcx.orchestrator.user.UserRepository;
import dev.arcx.orchestrator.workspace.WorkspaceService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The administrator's view of users: search, plan and admin role, suspension. A suspended user's sessions end, their
 * running workspaces stop, and their tokens, cookies and sign-ins are refused until they are unsuspended (the
 * identity provider and sign-in read {@code users.suspended_at} on every request).
 */
@ApplicationScoped
public class AdminUserService {
    private static final int MAX_PAGE = 100;
    private static final int DEFAULT_PAGE = 50;
    private static final int MAX_REASON = 500;
    private static final String AUDIT_TARGET = "user";

    private final UserRepository users;
    private final AccountRepository accounts;
    private final WorkspaceService workspaces;
    private final AuditLog audit;
    private final Event<AccessNarrowed> narrowed;
    private final EventPublisher events;

    AdminUserService(UserRepository users, AccountRepository accounts, WorkspaceService workspaces, AuditLog audit,
            Event<AccessNarrowed> narrowed, EventPublisher events) {
        this.users = users;
        this.accounts = accounts;
        this.workspaces = workspaces;
        this.audit = audit;
        this.narrowed = narrowed;
        this.events = events;
    }

    /**
     * @param q a case-insensitive substring of the login, name or e-mail
     * @param suspended {@code true} or {@code false}; null: both
     * @param limit 1-100 (50 when left out); as text, so a malformed value is this API's 400
     */
    public Uni<AdminUserPage> search(String q, String plan, String suspended, String limit, String offset) {
        int size = QueryNumbers.wholeNumber("limit", limit, DEFAULT_PAGE, 1, MAX_PAGE);
        int skip = QueryNumbers.wholeNumber("offset", offset, 0, 0, Integer.MAX_VALUE);
        Boolean onlySuspended = suspended == null || suspended.isBlank() ? null : switch (suspended) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiException.badRequest("suspended must be true or false");
        };
        String pattern = q == null || q.isBlank() ? null : "%" + q.strip().replace("\\", "\\\\").replace("%", "\\%")
                .replace("_", "\\_") + "%";
        String planId = plan == null || plan.isBlank() ? null : plan;
        return users.search(pattern, planId, onlySuspended, size, skip).flatMap(items ->
                users.count(pattern, planId, onlySuspended).map(total -> new AdminUserPage(items, total, size, skip)));
    }

    /** The plans a user can be moved to, with their workspace limits. */
    /** The logins of the users among {@code ids}, e.g. the actors of a page of the audit log. */
    public Uni<Map<UUID, String>> logins(Collection<UUID> ids) {
        return users.logins(ids);
    }

    public Uni<List<Plan>> plans() {
        return users.plans();
    }

    public Uni<AdminUserView> get(UUID id) {
        return users.adminView(id).onItem().ifNull().failWith(() -> notFound(id));
    }

    /** Changes the plan and/or the admin role; each change is audited ({@code admin.user.plan|admin}). */
    public Uni<AdminUserView> update(Caller caller, UUID id, AdminUserRequests.Update request) {
        if (request == null || (request.plan() == null && request.admin() == null)) {
            return Uni.createFrom().failure(ApiException.badRequest("nothing to change: send plan and/or admin"));
        }
        // Both changes and their entries in one transaction: a refused entry leaves neither change standing.
        return get(id).call(user -> audit.inTransaction(tx -> (request.plan() == null
                || request.plan().equals(user.plan()) ? Uni.createFrom().voidItem()
                : users.planExists(request.plan()).flatMap(exists -> {
                    if (!exists) {
                        throw ApiException.badRequest("unknown plan '" + request.plan() + "'; plans are free, pro, "
                                + "team");
                    }
                    return users.setPlan(tx, id, request.plan());
                }).chain(() -> audit.record(tx, caller, "admin.user.plan", AUDIT_TARGET, id, Map.of("login",
                        user.login(), "from", user.plan(), "to", request.plan()))))
                .chain(() -> request.admin() == null || request.admin() == user.admin() ? Uni.createFrom().voidItem()
                        : users.setAdmin(tx, id, request.admin()).chain(() -> audit.record(tx, caller,
                                "admin.user.admin", AUDIT_TARGET, id, Map.of("login", user.login(), "admin",
                                        request.admin()))))))
                .chain(() -> get(id));
    }

    /**
     * Suspends the user: their sessions end, their running workspaces stop (no workspace password asked), and from
     * now on their tokens and cookies get 401 and their sign-ins are refused. Not oneself (409).
     */
    public Uni<AdminUserView> suspend(Caller caller, UUID id, AdminUserRequests.Suspend request) {
        String reason = request == null || request.reason() == null || request.reason().isBlank() ? null
                : request.reason().strip();
        if (reason != null && reason.length() > MAX_REASON) {
            return Uni.createFrom().failure(ApiException.badRequest("reason must be at most " + MAX_REASON
                    + " characters"));
        }
        try {
            UserText.requireFreeText("reason", reason);
        } catch (ApiException refused) {
            return Uni.createFrom().failure(refused);
        }
        if (caller.actor().equals(id.toString())) {
            return Uni.createFrom().failure(ApiException.conflict("you cannot suspend yourself"));
        }
        // The suspension, the ended sessions, the stops and their entries commit together; what reaches other
        // services and the engine (revocations, stops) follows the commit.
        return audit.inTransaction(tx -> users.suspend(tx, id, reason).flatMap(found -> {
            if (!found) {
                throw notFound(id);
            }
            return accounts.revokeSessions(tx, id);
        }).flatMap(sessions -> workspaces.stopAllOf(tx, caller, id, "stopped by an administrator: the account is "
                + "suspended").call(stopped -> {
                    Map<String, Object> details = new HashMap<>();
                    details.put("revokedSessions", sessions);
                    details.put("stoppedWorkspaces", stopped.stream().map(w -> w.id().toString()).toList());
                    if (reason != null) {
                        details.put("reason", reason);
                    }
                    return audit.record(tx, caller, "admin.user.suspend", AUDIT_TARGET, id, details);
                }))).invoke(stopped -> {
                    events.publish(SessionRevocation.ofUser(id, "suspended"));
                    narrowed.fire(AccessNarrowed.forUser(id));
                    workspaces.movesCommitted(stopped);
                }).chain(() -> get(id));
    }

    /** Lifts a suspension: tokens work again, and the user may sign in (their old sessions stay ended). */
    public Uni<AdminUserView> unsuspend(Caller caller, UUID id) {
        return audit.inTransaction(tx -> users.unsuspend(tx, id).flatMap(found -> {
            if (!found) {
                throw notFound(id);
            }
            return audit.record(tx, caller, "admin.user.unsuspend", AUDIT_TARGET, id, Map.of());
        })).chain(() -> get(id));
    }

    private static ApiException notFound(UUID id) {
        return ApiException.notFound("no user " + id);
    }
}
