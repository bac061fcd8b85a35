package dev.arcx.orchestrator.workspace;

import static dev.arcx.common.workspace.WorkspaceStatus.BUILDING_IMAGE;
import static dev.arcx.common.workspace.WorkspaceStatus.RUNNING;

import dev.arcx.orchestrator.catalog.Catalog;
import dev.arcx.orchestrator.catalog.CatalogService;
import dev.arcx.orchestrator.config.OrchestratorConfig;
import dev.arcx.orchestrator.images.ImageBuildWatcher;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * A workspace as the API shows it: its row with the catalog's selection, the progress of the image being built for it,
 * and its idle and lifetime deadlines.
 */
@ApplicationScoped
class WorkspaceViews {
    private final WorkspaceRepository workspaces;
    private final CatalogService catalog;
    private final ImageBuildWatcher builds;
    private final WorkspaceActivity activity;
    private final OrchestratorConfig config;

    WorkspaceViews(WorkspaceRepository workspaces, CatalogService catalog, ImageBuildWatcher builds,
            WorkspaceActivity activity, OrchestratorConfig config) {
        this.workspaces = workspaces;
        this.catalog = catalog;
        this.builds = builds;
        this.activity = activity;
        this.config = config;
    }

    Uni<WorkspaceView> of(Workspace w) {
        // The plan only matters for the deadlines, which only a running workspace has.
        Uni<String> plan = w.status() == RUNNING ? workspaces.plan(w.id()) : Uni.createFrom().nullItem();
        return catalog.snapshot().flatMap(snapshot -> plan.map(planId -> of(snapshot, w, planId)));
    }

    /** Workspaces just made (creating: no deadlines yet), against one catalog snapshot. */
    Uni<List<WorkspaceView>> ofNew(List<Workspace> made) {
        return catalog.snapshot().map(snapshot -> made.stream().map(w -> of(snapshot, w, null)).toList());
    }

    /** @param planId the owner's plan, for the deadlines; null when the workspace is not running */
    WorkspaceView of(Catalog snapshot, Workspace w, String planId) {
        var composition = snapshot.compose(w.resourceTierId(), w.flavorId(), w.addonIds());
        var build = w.status() == BUILDING_IMAGE ? builds.progress(composition.image()).orElse(null) : null;
        return WorkspaceView.of(w, composition, config.workspaces().basePorts(), config.workspaces().idePort(), build,
                activity.deadlines(w, planId));
    }
}
