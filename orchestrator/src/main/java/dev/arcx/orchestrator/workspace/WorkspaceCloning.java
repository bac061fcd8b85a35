package dev.arcx.orchestrator.workspace;

import static dev.arcx.common.workspace.WorkspaceStatus.RUNNING;
import static dev.arcx.common.workspace.WorkspaceStatus.STOPPED;

import dev.arcx.common.http.ApiException;
import dev.arcx.orchestrator.audit.AuditLog;
import dev.arcx.orchestrator.audit.Caller;
import dev.arcx.orchestrator.config.OrchestratorConfig;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A clone request: checked and answered here, all or nothing; {@link WorkspaceCloner} then copies the source's files
 * into the clones in the background and starts them.
 */
@ApplicationScoped
class WorkspaceCloning {
    private final WorkspaceRepository workspaces;
    private final WorkspaceQuotas quotas;
    private final WorkspaceLifecycle lifecycle;
    private final WorkspaceStates states;
    private final WorkspaceCloner cloner;
    private final WorkspaceRoutes routes;
    private final WorkspaceViews views;
    private final AuditLog audit;
    private final int maxCount;

    WorkspaceCloning(WorkspaceRepository workspaces, WorkspaceQuotas quotas, WorkspaceLifecycle lifecycle,
            WorkspaceStates states, WorkspaceCloner cloner, WorkspaceRoutes routes, WorkspaceViews views,
            AuditLog audit, OrchestratorConfig config) {
        this.workspaces = workspaces;
        this.quotas = quotas;
        this.lifecycle = lifecycle;
        this.states = states;
        this.cloner = cloner;
        this.routes = routes;
        this.views = views;
        this.audit = audit;
        this.maxCount = config.clones().maxCount();
    }

    /**
     * Clones a running or stopped workspace {@code count} times: the clones are ordinary workspaces of the same
     * owner, team and selection, named {@code <source>-clone-<n>}, counted against the plan (the team's for a team's
     * workspace) and the platform cap like creations (all or none). They answer in creating; {@link WorkspaceCloner}
     * fills and starts them. Their host names are made of the owner's login, whoever of the team asks.
     */
    Uni<List<WorkspaceView>> clone(Caller caller, UUID id, CloneWorkspaceRequest request) {
        if (request == null || request.count() == null || request.count() < 1 || request.count() > maxCount) {
            return Uni.createFrom().failure(ApiException.badRequest("count must be between 1 and " + maxCount));
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
            return workspaces.pool().withTransaction(tx -> quotas.lock(tx, source.ownerId(), source.teamId())
                    .flatMap(quota -> {
                        quota.check(count, count + " clone" + (count == 1 ? "" : "s") + " would make "
                                + (quota.used() + count) + "; delete some or upgrade your plan");
                        return workspaces.names(tx, source.ownerId());
                    })
                    .flatMap(names -> quotas.lockPlatformSlots(tx, count).flatMap(slots -> {
                        List<String> cloneNames = cloneNames(source.name(), source.ownerLogin(), Set.copyOf(names),
                                count);
                        return Multi.createFrom().range(0, count).onItem().transformToUniAndConcatenate(
                                i -> workspaces.insertClone(tx, ids.get(i), source, cloneNames.get(i)))
                                .collect().asList();
                    }))
                    .call(clones -> audit.record(tx, caller, WorkspaceService.AUDIT_TARGET + ".clone",
                            WorkspaceService.AUDIT_TARGET, source.id(), Map.of("name", source.name(), "count", count,
                                    "clones", clones.stream().map(c -> Map.of("id", c.id().toString(), "name",
                                            c.name())).toList()))))
                    .onFailure().invoke(() -> ids.forEach(lifecycle::releaseCopy))
                    .onFailure(PgException.class).transform(WorkspaceService::uniqueNameConflict)
                    .invoke(clones -> {
                        clones.forEach(states::announce);
                        cloner.start(source.id(), ids);
                    })
                    .flatMap(views::ofNew);
        });
    }

    /** The workspace if the user may use it (the owner of a personal one, a member of a team's); 404 otherwise. */
    private Uni<Workspace> usable(UUID userId, UUID id) {
        return workspaces.findForUser(userId, id).onItem().ifNull().failWith(() -> WorkspaceService.notFound(id));
    }

    /**
     * The first {@code count} free names {@code <source>-clone-<n>}; the source's part is shortened (never leaving a
     * trailing '-', so no "--" appears) where the whole would be too long for a name or, with routing, a host name.
     */
    private List<String> cloneNames(String source, String login, Set<String> taken, int count) {
        List<String> names = new ArrayList<>();
        for (int n = 1; names.size() < count; n++) {
            String suffix = "-clone-" + n;
            String base = source.substring(0, Math.min(source.length(), WorkspaceService.MAX_NAME - suffix.length()));
            String name = base.replaceAll("-+$", "") + suffix;
            while (routes.nameProblem(name, login).isPresent() && base.length() > 1) {
                base = base.substring(0, base.length() - 1);
                name = base.replaceAll("-+$", "") + suffix;
            }
            var unroutable = routes.nameProblem(name, login);
            if (unroutable.isPresent()) {
                throw ApiException.badRequest(unroutable.get());
            }
            if (!taken.contains(name) && !names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }
}
