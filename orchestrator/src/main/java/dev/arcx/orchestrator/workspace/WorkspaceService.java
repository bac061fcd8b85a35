package dev.arcx.orchestrator.workspace;

import static dev.arcx.common.workspace.WorkspaceStatus.BUILDING_IMAGE;
import static dev.arcx.common.workspace.WorkspaceStatus.CREATING;
import static dev.arcx.common.workspace.WorkspaceStatus.DELETING;
import static dev.arcx.common.workspace.WorkspaceStatus.FAILED;
import static dev.arcx.common.workspace.WorkspaceStatus.RUNNING;
import static dev.arcx.common.workspace.WorkspaceStatus.STARTING;
import static dev.arcx.common.workspace.WorkspaceStatus.STOPPED;
import static dev.arcx.common.workspace.WorkspaceStatus.STOPPING;

import com.github.dockerjava.api.exception.NotFoundException;
import dev.arcx.common.http.ApiException;
import dev.arcx.common.support.Blocking;
import dev.arcx.common.workspace.WorkspaceStatus;
import dev.arcx.orchestrator.audit.AuditLog;
import dev.arcx.orchestrator.audit.Caller;
import dev.arcx.orchestrator.catalog.CatalogService;
import dev.arcx.orchestrator.docker.ContainerStats;
import dev.arcx.orchestrator.docker.DockerEngine;
import dev.arcx.orchestrator.signup.SignupService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Objects;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * What users may do with their workspaces and their teams' (a member of a workspace's team may do all its owner
 * may): validation and the state changes that start engine work. The limits are {@link WorkspaceQuotas}'; clones
 * ({@link WorkspaceCloning}) and password changes ({@link WorkspacePasswordChange}) have their own classes.
 */
@ApplicationScoped
public class WorkspaceService {
    /**
     * A DNS label, so the name becomes part of host names without escaping ({@code <name>--<login>.<domain>}); no
     * "--", which separates the parts of those host names.
     */
    static final int MAX_NAME = 40;
    private static final Pattern NAME = Pattern.compile("[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){0," + (MAX_NAME - 1) + "}");
    static final String NAME_RULE = "name must be a DNS label: 1-40 characters of a-z, 0-9 and single '-', "
            + "not starting or ending with '-'";
    private static final int MAX_LOG_TAIL = 10_000;
    /** Target type of workspace entries in the audit log. */
    static final String AUDIT_TARGET = "workspace";
    private static final String PASSWORD_WANTED = "send its password as {\"password\": \"...\"} or in the "
            + WorkspacePasswords.HEADER + " header";

    private final WorkspaceRepository workspaces;
    private final CatalogService catalog;
    private final WorkspaceStates states;
    private final WorkspaceLifecycle lifecycle;
    private final WorkspaceQuotas quotas;
    private final WorkspacePasswords passwords;
    private final WorkspaceActivity activity;
    private final WorkspaceRoutes routes;
    private final WorkspaceViews views;
    private final SignupService signups;
    private final AuditLog audit;
    private final DockerEngine engine;
    private final Blocking blocking;

    WorkspaceService(WorkspaceRepository workspaces, CatalogService catalog, WorkspaceStates states,
            WorkspaceLifecycle lifecycle, WorkspaceQuotas quotas, WorkspacePasswords passwords,
            WorkspaceActivity activity, WorkspaceRoutes routes, WorkspaceViews views, SignupService signups,
            AuditLog audit, DockerEngine engine, Blocking blocking) {
        this.workspaces = workspaces;
        this.catalog = catalog;
        this.states = states;
        this.lifecycle = lifecycle;
        this.quotas = quotas;
        this.passwords = passwords;
        this.activity = activity;
        this.routes = routes;
        this.views = views;
        this.signups = signups;
        this.audit = audit;
        this.engine = engine;
        this.blocking = blocking;
    }

    /**
     * A workspace of the caller, or with {@code teamId} of the caller's team (counted against the team's plan); the
     * caller is its owner either way.
     *
     * @param login the owner's login, part of the workspace's host names when routing is on
     */
    public Uni<WorkspaceView> create(Caller caller, String login, CreateWorkspaceRequest request) {
        return signups.requirePaidPlan(caller.userId()).chain(() -> createOwned(caller, login, request));
    }

    private Uni<WorkspaceView> createOwned(Caller caller, String login, CreateWorkspaceRequest request) {
        UUID ownerId = caller.userId();
        if (request == null) {
            return Uni.createFrom().failure(ApiException.badRequest("a JSON body with at least 'name' is required"));
        }
        if (request.name() == null || !NAME.matcher(request.name()).matches()) {
            return Uni.createFrom().failure(ApiException.badRequest(NAME_RULE));
        }
        Optional<String> unroutable = routes.nameProblem(request.name(), login);
        if (unroutable.isPresent()) {
            return Uni.createFrom().failure(ApiException.badRequest(unroutable.get()));
        }
        boolean protect = Boolean.TRUE.equals(request.passwordProtected());
        if (!protect && request.password() != null) {
            return Uni.createFrom().failure(ApiException.badRequest(
                    "password is only taken with passwordProtected: true"));
        }
        Optional<String> badPassword = protect ? WorkspacePasswords.problem("password", request.password())
                : Optional.empty();
        if (badPassword.isPresent()) {
            return Uni.createFrom().failure(ApiException.badRequest(badPassword.get()));
        }
        List<String> addonIds = request.addonIds() == null ? List.of() : request.addonIds();
        Uni<PasswordHashes> hashed = protect ? passwords.hash(request.password()) : Uni.createFrom().nullItem();
        return catalog.snapshot().flatMap(snapshot -> hashed.flatMap(hashes -> {
            var composition = snapshot.compose(request.resourceTierId(), request.flavorId(), addonIds);
            UUID id = UUID.randomUUID();
            return workspaces.pool().withTransaction(tx -> quotas.lock(tx, ownerId, request.teamId())
                    .flatMap(quota -> {
                        quota.check(1, "delete one or upgrade your plan");
                        return workspaces.nameTaken(tx, ownerId, request.name());
                    })
                    .flatMap(taken -> {
                        if (taken) {
                            throw ApiException.conflict("you already have a workspace named '" + request.name() + "'");
                        }
                        return quotas.lockPlatformSlots(tx, 1);
                    })
                    .chain(() -> workspaces.insert(tx, id, ownerId, request.teamId(), request.name(),
                            composition.tier().id(), composition.flavor().id(), composition.addonIds(), hashes))
                    .call(created -> audit(tx, caller, "create", created)))
                    .onFailure(PgException.class).transform(WorkspaceService::uniqueNameConflict)
                    .invoke(created -> {
                        states.announce(created);
                        lifecycle.drive(created.id());
                    })
                    .map(created -> views.of(snapshot, created, null));
        }));
    }

    /** The user's personal workspaces and those of the user's teams. */
    public Uni<List<WorkspaceView>> list(UUID userId) {
        return workspaces.listForUser(userId).flatMap(rows -> Multi.createFrom().iterable(rows)
                .onItem().transformToUniAndConcatenate(views::of).collect().asList());
    }

    /**
     * Whether the user may see and use the workspace: the one answer the dashboard's live events ask, so the same rule
     * (owner or team member) applies to them as to {@link #get}.
     */
    public Uni<Boolean> usableBy(UUID userId, UUID id) {
        return workspaces.findForUser(userId, id).map(Objects::nonNull);
    }

    public Uni<WorkspaceView> get(UUID userId, UUID id) {
        return usable(userId, id).flatMap(views::of);
    }

    public Uni<WorkspaceView> update(Caller caller, UUID id, UpdateWorkspaceRequest request) {
        if (request == null) {
            return Uni.createFrom().failure(ApiException.badRequest("a JSON body with resourceTierId and/or addonIds is required"));
        }
        UUID userId = caller.userId();
        return usable(userId, id).flatMap(w -> {
            if (w.status() == DELETING) {
                throw ApiException.conflict("the workspace is being deleted");
            }
            String tier = request.resourceTierId() == null ? w.resourceTierId() : request.resourceTierId();
            List<String> addons = request.addonIds() == null ? w.addonIds() : request.addonIds();
            return catalog.compose(tier, w.flavorId(), addons).flatMap(c -> audit.inTransaction(tx -> workspaces
                    .updateSelection(tx, userId, id, c.tier().id(), c.addonIds())
                    .call(updated -> updated == null ? Uni.createFrom().voidItem() : audit(tx, caller, "update", updated))));
        }).onItem().ifNull().failWith(() -> notFound(id)).flatMap(views::of);
    }

    /** Stopped or failed → starting, if the platform has a free slot. */
    public Uni<WorkspaceView> start(Caller caller, UUID id) {
        return startUsable(caller, "start", id).invoke(() -> activity.touch(id));
    }

    private Uni<WorkspaceView> startUsable(Caller caller, String action, UUID id) {
        return usable(caller.userId(), id).flatMap(w -> {
            if (w.status() == RUNNING || w.status() == STARTING || w.status() == CREATING
                    || w.status() == BUILDING_IMAGE) {
                throw ApiException.conflict("the workspace is already " + w.status().wireName());
            }
            if (w.status() != STOPPED && w.status() != FAILED) {
                throw ApiException.conflict("the workspace is " + w.status().wireName() + "; try again when it has stopped");
            }
            return ownerNotSuspended(id).chain(() -> workspaces.pool().withTransaction(tx ->
                    quotas.lockPlatformSlots(tx, 1)
                            .chain(() -> workspaces.transition(tx, id, List.of(STOPPED, FAILED), STARTING, null))
                            .call(moved -> audit(tx, caller, action, moved))));
        }).map(moved -> afterMove(moved, id)).flatMap(views::of);
    }

    /** A team member asking to start it: the owner's suspension holds their team workspaces down too (409). */
    private Uni<Void> ownerNotSuspended(UUID id) {
        return workspaces.ownerSuspended(id).invoke(suspended -> {
            if (suspended) {
                throw ApiException.conflict("the workspace cannot start: its owner's account is suspended");
            }
        }).replaceWithVoid();
    }

    /**
     * Running, starting, building its image or failed → stopping.
     *
     * @param password the workspace's password; needed only when it is protected
     */
    public Uni<WorkspaceView> stop(Caller caller, UUID id, String password) {
        return usable(caller.userId(), id).flatMap(w -> {
            if (w.status() == STOPPED || w.status() == STOPPING) {
                throw ApiException.conflict("the workspace is already " + w.status().wireName());
            }
            return passwords.require(caller, w, password, "stop", PASSWORD_WANTED).chain(() -> audit.inTransaction(
                    tx -> workspaces.transition(tx, id, List.of(RUNNING, STARTING, BUILDING_IMAGE, FAILED), STOPPING,
                            null).call(moved -> audit(tx, caller, "stop", moved))));
        }).map(moved -> afterMove(moved, id)).flatMap(views::of);
    }

    /**
     * An administrator's override (a suspension), inside the caller's transaction {@code tx}: every creating,
     * running, starting or image-building workspace of the owner → stopping, without workspace passwords,
     * {@code reason} kept on each. A clone still being copied is left to the lifecycle, which stops rather than starts
     * a suspended owner's workspace. Audited as {@code workspace.stop} by the caller; answers the workspaces moved,
     * which {@link #movesCommitted} announces and drives once {@code tx} committed.
     */
    public Uni<List<Workspace>> stopAllOf(SqlClient tx, Caller caller, UUID ownerId, String reason) {
        return workspaces.listOwned(ownerId).onItem().transformToMulti(owned -> Multi.createFrom().iterable(owned))
                .filter(w -> !w.cloning())
                .onItem().transformToUniAndConcatenate(w -> workspaces.transition(tx, w.id(),
                        List.of(CREATING, RUNNING, STARTING, BUILDING_IMAGE), STOPPING, reason))
                .onItem().call(moved -> audit(tx, caller, "stop", moved))
                .collect().asList();
    }

    /**
     * A user's erasure, inside its transaction {@code tx}: the workspaces {@code ids} → deleting (whatever their
     * state, no workspace password asked), {@code reason} kept on each, audited as {@code workspace.delete} by the
     * caller. Once {@code tx} committed, {@link #movesCommitted} hands them to the lifecycle, which removes their
     * containers, volumes and rows.
     */
    public Uni<List<Workspace>> deleteAll(SqlClient tx, Caller caller, List<UUID> ids, String reason) {
        return Multi.createFrom().iterable(ids)
                .onItem().transformToUniAndConcatenate(id -> workspaces.transition(tx, id,
                        List.of(WorkspaceStatus.values()), DELETING, reason))
                .onItem().call(moved -> audit(tx, caller, "delete", moved))
                .collect().asList();
    }

    /** The moves of {@link #stopAllOf} or {@link #deleteAll} committed: their events go out, the lifecycle acts. */
    public void movesCommitted(List<Workspace> moved) {
        moved.forEach(w -> afterMove(w, w.id()));
    }

    /** A running workspace is stopped and started again; the restart keeps its platform slot. */
    public Uni<WorkspaceView> restart(Caller caller, UUID id) {
        UUID userId = caller.userId();
        return usable(userId, id).flatMap(w -> {
            if (w.status() == STOPPED || w.status() == FAILED) {
                return startUsable(caller, "restart", id);
            }
            if (w.status() != RUNNING) {
                throw ApiException.conflict("the workspace is " + w.status().wireName() + "; only a running, stopped "
                        + "or failed workspace can be restarted");
            }
            return audit.inTransaction(tx -> workspaces.transition(tx, id, List.of(RUNNING), STOPPING,
                            WorkspaceLifecycle.RESTARTING).call(moved -> audit(tx, caller, "restart", moved)))
                    .map(moved -> afterMove(moved, id)).flatMap(views::of);
        }).invoke(() -> activity.touch(id));
    }

    /** A user of the workspace (or a service on their behalf: the IDE, team presence) says it is in use. */
    public Uni<Void> recordActivity(UUID userId, UUID id) {
        return usable(userId, id).invoke(w -> activity.touch(w.id())).replaceWithVoid();
    }

    /**
     * Any state → deleting; the engine objects and the row go in the background.
     *
     * @param password the workspace's password; needed only when it is protected
     */
    public Uni<WorkspaceView> delete(Caller caller, UUID id, String password) {
        return usable(caller.userId(), id).flatMap(w -> {
            if (w.status() == DELETING) {
                // Asked again while the first deletion runs: recorded as asked, as before.
                return audit.inTransaction(tx -> audit(tx, caller, "delete", w)).replaceWith(w);
            }
            return passwords.require(caller, w, password, "delete", PASSWORD_WANTED)
                    .chain(() -> audit.inTransaction(tx -> workspaces.transition(tx, id,
                            List.of(WorkspaceStatus.values()), DELETING, null)
                            .call(moved -> audit(tx, caller, "delete", moved))))
                    .map(moved -> afterMove(moved, id))
                    .invoke(passwords::forget);
        }).flatMap(views::of);
    }

    public Uni<String> logs(UUID userId, UUID id, Integer tail) {
        int lines = tail == null ? 100 : tail;
        if (lines < 1 || lines > MAX_LOG_TAIL) {
            return Uni.createFrom().failure(ApiException.badRequest("tail must be between 1 and " + MAX_LOG_TAIL));
        }
        return usable(userId, id).flatMap(w -> {
            if (w.containerId() == null) {
                throw ApiException.conflict("the workspace has no container yet");
            }
            return blocking.call(() -> engine.logs(w.containerId(), lines)).onFailure(NotFoundException.class)
                    .transform(WorkspaceService::containerGone);
        });
    }

    public Uni<ContainerStats> stats(UUID userId, UUID id) {
        return usable(userId, id).flatMap(w -> {
            if (w.status() != RUNNING || w.containerId() == null) {
                throw ApiException.conflict("the workspace is " + w.status().wireName() + "; stats exist only while running");
            }
            return blocking.call(() -> engine.stats(w.containerId())).onFailure(NotFoundException.class)
                    .transform(WorkspaceService::containerGone);
        });
    }

    /** Records {@code workspace.<action>} by the caller in the action's transaction; nothing when nothing moved. */
    private Uni<Void> audit(SqlClient tx, Caller caller, String action, Workspace w) {
        if (w == null) {
            return Uni.createFrom().voidItem();
        }
        return audit.record(tx, caller, AUDIT_TARGET + "." + action, AUDIT_TARGET, w.id(), Map.of("name", w.name(),
                "status", w.status().wireName(), "resourceTierId", w.resourceTierId(), "addonIds", w.addonIds(),
                "passwordProtected", w.passwordProtected()));
    }

    private Workspace afterMove(Workspace moved, UUID id) {
        if (moved == null) {
            throw ApiException.conflict("the workspace changed state meanwhile; try again");
        }
        states.announce(moved);
        lifecycle.drive(id);
        return moved;
    }

    /** The workspace if the user may use it (the owner of a personal one, a member of a team's); 404 otherwise. */
    private Uni<Workspace> usable(UUID userId, UUID id) {
        return workspaces.findForUser(userId, id).onItem().ifNull().failWith(() -> notFound(id));
    }

    private static ApiException containerGone(Throwable cause) {
        return ApiException.conflict("the workspace's container is gone; the reconciler is repairing it");
    }

    static ApiException notFound(UUID id) {
        return ApiException.notFound("no workspace " + id);
    }

    /** Two concurrent creations with one name: the unique constraint decides, the loser gets the same 409. */
    static Throwable uniqueNameConflict(Throwable failure) {
        if (failure instanceof PgException pg && "23505".equals(pg.getSqlState())) {
            return ApiException.conflict("you already have a workspace with that name");
        }
        return failure;
    }
}
