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
import dev.arcx.common.workspace.WorkspaceStatus;
import dev.arcx.orchestrator.audit.AuditLog;
import dev.arcx.orchestrator.audit.Caller;
import dev.arcx.orchestrator.catalog.Catalog;
import dev.arcx.orchestrator.catalog.CatalogService;
import dev.arcx.orchestrator.config.OrchestratorConfig;
import dev.arcx.orchestrator.docker.ContainerStats;
import dev.arcx.orchestrator.docker.DockerEngine;
import dev.arcx.orchestrator.images.ImageBuildWatcher;
import dev.arcx.orchestrator.routing.EdgeRoutes;
import dev.arcx.orchestrator.signup.SignupService;
import dev.arcx.orchestrator.team.TeamRepository;
import dev.arcx.common.http.ApiException;
import dev.arcx.common.support.Blocking;
import dev.arcx.orchestrator.user.UserRepository;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * What users may do with their workspaces and their teams' (a member of a workspace's team may do all its owner
 * may): validation, quotas, and the state changes that start engine work.
 */
@ApplicationScoped
public class WorkspaceService {
    /**
     * A DNS label, so the name becomes part of host names without escaping ({@code <name>--<login>.<domain>}); no
     * "--", which separates the parts of those host names.
     */
    private static final int MAX_NAME = 40;
    private static final Pattern NAME = Pattern.compile("[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){0," + (MAX_NAME - 1) + "}");
    static final String NAME_RULE = "name must be a DNS label: 1-40 characters of a-z, 0-9 and single '-', "
            + "not starting or ending with '-'";
    private static final int MAX_LOG_TAIL = 10_000;
    /** Target type of workspace entries in the audit log. */
    static final String AUDIT_TARGET = "workspace";
    private static final String PASSWORD_WANTED = "send its password as {\"password\": \"...\"} or in the "
            + WorkspacePasswords.HEADER + " header";
    private static final Logger LOG = Logger.getLogger(WorkspaceService.class);

    private final WorkspaceRepository workspaces;
    private final UserRepository users;
    private final CatalogService catalog;
    private final WorkspaceStates states;
    private final WorkspaceLifecycle lifecycle;
    private final DockerEngine engine;
    private final ImageBuildWatcher builds;
    private final Blocking blocking;
    private final OrchestratorConfig config;
    private final AuditLog audit;
    private final EdgeRoutes edge;
    private final WorkspaceActivity activity;
    private final WorkspaceCloner cloner;
    private final SignupService signups;
    private final WorkspacePasswords passwords;
    private final TeamRepository teams;

    WorkspaceService(WorkspaceRepository workspaces, UserRepository users, CatalogService catalog,
            WorkspaceStates states, WorkspaceLifecycle lifecycle, DockerEngine engine, ImageBuildWatcher builds,
            Blocking blocking, OrchestratorConfig config, AuditLog audit, EdgeRoutes edge,
            WorkspaceActivity activity, WorkspaceCloner cloner, SignupService signups, WorkspacePasswords passwords,
            TeamRepository teams) {
        this.workspaces = workspaces;
        this.users = users;
        this.catalog = catalog;
        this.states = states;
        this.lifecycle = lifecycle;
        this.engine = engine;
        this.builds = builds;
        this.blocking = blocking;
        this.config = config;
        this.audit = audit;
        this.edge = edge;
        this.activity = activity;
        this.cloner = cloner;
        this.signups = signups;
        this.passwords = passwords;
        this.teams = teams;
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
        Optional<String> unroutable = edge.enabled() ? edge.nameProblem(request.name(), login) : Optional.empty();
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
            return workspaces.pool().withTransaction(tx -> lockQuota(tx, ownerId, request.teamId())
                    .flatMap(quota -> {
                        quota.check(1, "delete one or upgrade your plan");
                        return workspaces.nameTaken(tx, ownerId, request.name());
                    })
                    .flatMap(taken -> {
                        if (taken) {
                            throw ApiException.conflict("you already have a workspace named '" + request.name() + "'");
                        }
                        return workspaces.lockAndCountActive(tx);
                    })
                    .flatMap(active -> {
                        checkPlatformCap(active, 1);
                        return workspaces.insert(tx, id, ownerId, request.teamId(), request.name(), composition.tier().id(),
                                composition.flavor().id(), composition.addonIds(), hashes);
                    })
                    .call(created -> audit(tx, caller, "create", created)))
                    .onFailure(PgException.class).transform(WorkspaceService::uniqueNameConflict)
                    .invoke(created -> {
                        states.announce(created);
                        lifecycle.drive(created.id());
                    })
                    .map(created -> view(snapshot, created, null));
        }));
    }

    /**
     * Clones a running or stopped workspace {@code count} times: the clones are ordinary workspaces of the same
     * owner, team and selection, named {@code <source>-clone-<n>}, counted against the plan (the team's for a team's
     * workspace) and the platform cap like creations (all or none). They answer in creating; {@link WorkspaceCloner}
     * fills and starts them. Their host names are made of the owner's login, whoever of the team asks.
     */
    public Uni<List<WorkspaceView>> clone(Caller caller, UUID id, CloneWorkspaceRequest request) {
        int max = config.clones().maxCount();
        if (request == null || request.count() == null || request.count() < 1 || request.count() > max) {
            return Uni.createFrom().failure(ApiException.badRequest("count must be between 1 and " + max));
        }
        int count = request.count();
        return usable(caller.userId(), id).flatMap(source -> {
            if (source.status() != RUNNING && source.status() != STOPPED) {
                throw ApiException.conflict("the workspace is " + source.status().wireName()
                        + "; only a running or stopped workspace can be cloned");
            }
            List<UUID> ids = Stream.generate(UUID::randomUUID).limit(count).toList();
            // Claimed before the rows exist, so the reconciler never takes a clone being filled for an orphan.
            lifecycle.claimCopies(ids);
            return workspaces.pool().withTransaction(tx -> lockQuota(tx, source.ownerId(), source.teamId())
                    .flatMap(quota -> {
                        quota.check(count, count + " clone" + (count == 1 ? "" : "s") + " would make "
                                + (quota.used() + count) + "; delete some or upgrade your plan");
                        return workspaces.names(tx, source.ownerId());
                    })
                    .flatMap(names -> workspaces.lockAndCountActive(tx).flatMap(active -> {
                        checkPlatformCap(active, count);
                        List<String> cloneNames = cloneNames(source.name(), source.ownerLogin(), Set.copyOf(names),
                                count);
                        return Multi.createFrom().range(0, count).onItem().transformToUniAndConcatenate(
                                i -> workspaces.insertClone(tx, ids.get(i), source, cloneNames.get(i)))
                                .collect().asList();
                    }))
                    .call(clones -> audit.record(tx, caller, AUDIT_TARGET + ".clone", AUDIT_TARGET, source.id(),
                            Map.of("name", source.name(), "count", count, "clones", clones.stream()
                                    .map(c -> Map.of("id", c.id().toString(), "name", c.name())).toList()))))
                    .onFailure().invoke(() -> ids.forEach(lifecycle::releaseCopy))
                    .onFailure(PgException.class).transform(WorkspaceService::uniqueNameConflict)
                    .invoke(clones -> {
                        clones.forEach(states::announce);
                        cloner.start(source.id(), ids);
                    })
                    .flatMap(clones -> catalog.snapshot()
                            .map(snapshot -> clones.stream().map(c -> view(snapshot, c, null)).toList()));
        });
    }

    /**
     * The first {@code count} free names {@code <source>-clone-<n>}; the source's part is shortened (never leaving a
     * trailing '-', so no "--" appears) where the whole would be too long for a name or, with routing, a host name.
     */
    private List<String> cloneNames(String source, String login, Set<String> taken, int count) {
        List<String> names = new ArrayList<>();
        for (int n = 1; names.size() < count; n++) {
            String suffix = "-clone-" + n;
            String base = source.substring(0, Math.min(source.length(), MAX_NAME - suffix.length()));
            String name = base.replaceAll("-+$", "") + suffix;
            while (edge.enabled() && edge.nameProblem(name, login).isPresent() && base.length() > 1) {
                base = base.substring(0, base.length() - 1);
                name = base.replaceAll("-+$", "") + suffix;
            }
            if (edge.enabled() && edge.nameProblem(name, login).isPresent()) {
                throw ApiException.badRequest(edge.nameProblem(name, login).get());
            }
            if (!taken.contains(name) && !names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    /** The user's personal workspaces and those of the user's teams. */
    public Uni<List<WorkspaceView>> list(UUID userId) {
        return workspaces.listForUser(userId).flatMap(rows -> Multi.createFrom().iterable(rows)
                .onItem().transformToUniAndConcatenate(this::view).collect().asList());
    }

    /**
     * Whether the user may see and use the workspace: the one answer the dashboard's live events ask, so the same rule
     * (owner or team member) applies to them as to {@link #get}.
     */
    public Uni<Boolean> usableBy(UUID userId, UUID id) {
        return workspaces.findForUser(userId, id).map(Objects::nonNull);
    }

    public Uni<WorkspaceView> get(UUID userId, UUID id) {
        return usable(userId, id).flatMap(this::view);
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
        }).onItem().ifNull().failWith(() -> notFound(id)).flatMap(this::view);
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
                    workspaces.lockAndCountActive(tx).flatMap(active -> {
                        checkPlatformCap(active, 1);
                        return workspaces.transition(tx, id, List.of(STOPPED, FAILED), STARTING, null);
                    }).call(moved -> audit(tx, caller, action, moved))));
        }).map(moved -> afterMove(moved, id)).flatMap(this::view);
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
        }).map(moved -> afterMove(moved, id)).flatMap(this::view);
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
                    .map(moved -> afterMove(moved, id)).flatMap(this::view);
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
        }).flatMap(this::view);
    }

    /**
     * Sets, changes or removes the workspace's password (see {@link WorkspacePasswordRequest}); a protected
     * workspace needs its current password for either of the last two. The IDE follows: the auth file is written
     * into the container, running or stopped, and a running workspace restarts so code-server reads it.
     */
    public Uni<WorkspaceView> changePassword(Caller caller, UUID id, WorkspacePasswordRequest request) {
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
                            .call(changed -> audit.record(tx, caller, AUDIT_TARGET + ".password." + action,
                                    AUDIT_TARGET, id, Map.of("name", changed.name(), "passwordProtected",
                                            changed.passwordProtected())))))
                    // Read again: a running workspace is now stopping to restart with the new file.
                    .flatMap(changed -> applyIdeAuth(id).chain(() -> usable(userId, id)));
        }).flatMap(this::view);
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

    private void checkPlatformCap(int active, int adding) {
        int cap = config.workspaces().maxConcurrent();
        if (active + adding > cap) {
            throw ApiException.conflict("the platform is at its limit of " + cap
                    + " concurrently running workspaces" + (adding == 1 ? "" : " (" + active + " now, " + adding
                    + " more asked for)") + "; stop one or try again later");
        }
    }

    /** The workspace if the user may use it (the owner of a personal one, a member of a team's); 404 otherwise. */
    private Uni<Workspace> usable(UUID userId, UUID id) {
        return workspaces.findForUser(userId, id).onItem().ifNull().failWith(() -> notFound(id));
    }

    /**
     * Locks whatever the new workspaces count against for the rest of the transaction, the owner's plan or with
     * {@code teamId} the team's (404 unless the owner is a member), and counts what it holds already.
     */
    private Uni<Quota> lockQuota(SqlClient tx, UUID ownerId, UUID teamId) {
        if (teamId == null) {
            return users.lockAndGetWorkspaceAllowance(tx, ownerId).flatMap(allowance -> workspaces
                    .countOwned(tx, ownerId).map(used -> new Quota("your plan", "you have", allowance, used)));
        }
        return teams.lockAndGetWorkspaceAllowance(tx, teamId, ownerId)
                .onItem().ifNull().failWith(() -> ApiException.notFound("no team " + teamId))
                .flatMap(allowance -> workspaces.countTeam(tx, teamId)
                        .map(used -> new Quota("the team's plan", "the team has", allowance, used)));
    }

    /** A plan's workspace allowance and how many of them are used. */
    private record Quota(String plan, String holder, int allowance, int used) {
        /** Refuses (403) when {@code adding} more would exceed the allowance; {@code advice} ends the message. */
        void check(int adding, String advice) {
            if (used + adding > allowance) {
                throw ApiException.forbidden(plan + " allows " + allowance + " workspace" + (allowance == 1 ? "" : "s")
                        + " and " + holder + " " + used + "; " + advice);
            }
        }
    }

    private Uni<WorkspaceView> view(Workspace w) {
        // The plan only matters for the deadlines, which only a running workspace has.
        Uni<String> plan = w.status() == RUNNING ? workspaces.plan(w.id()) : Uni.createFrom().nullItem();
        return catalog.snapshot().flatMap(snapshot -> plan.map(planId -> view(snapshot, w, planId)));
    }

    private WorkspaceView view(Catalog snapshot, Workspace w, String planId) {
        var composition = snapshot.compose(w.resourceTierId(), w.flavorId(), w.addonIds());
        var build = w.status() == BUILDING_IMAGE ? builds.progress(composition.image()).orElse(null) : null;
        return WorkspaceView.of(w, composition, config.workspaces().basePorts(), config.workspaces().idePort(), build,
                activity.deadlines(w, planId));
    }

    private static ApiException containerGone(Throwable cause) {
        return ApiException.conflict("the workspace's container is gone; the reconciler is repairing it");
    }

    private static ApiException notFound(UUID id) {
        return ApiException.notFound("no workspace " + id);
    }

    /** Two concurrent creations with one name: the unique constraint decides, the loser gets the same 409. */
    private static Throwable uniqueNameConflict(Throwable failure) {
        if (failure instanceof PgException pg && "23505".equals(pg.getSqlState())) {
            return ApiException.conflict("you already have a workspace with that name");
        }
        return failure;
    }
}
