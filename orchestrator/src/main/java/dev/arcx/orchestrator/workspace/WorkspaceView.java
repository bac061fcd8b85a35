package dev.arcx.orchestrator.workspace;

import dev.arcx.common.images.ImageBuildEvent;
import dev.arcx.common.workspace.WorkspaceStatus;
import dev.arcx.orchestrator.catalog.Composition;
import dev.arcx.orchestrator.catalog.Quantities;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A workspace as the API shows it: its row plus what its selection adds up to, and while running its last activity
 * and when it will be stopped for inactivity ({@code idleStopsAt}) or age ({@code lifetimeEndsAt}); for a clone, the
 * workspace it was cloned from ({@code clonedFrom}); whether stop and delete need its password
 * ({@code passwordProtected}, never the password or a hash); its team ({@code teamId}, null for a personal one) and
 * its owner's login ({@code ownerLogin}), which its host names are made of.
 */
public record WorkspaceView(UUID id, String name, UUID ownerId, WorkspaceStatus status, String statusReason,
        String resourceTierId, String flavorId, List<String> addonIds, String image, Resources resources,
        List<Integer> ports, ImageBuild imageBuild, OffsetDateTime createdAt, OffsetDateTime updatedAt,
        OffsetDateTime lastActiveAt, OffsetDateTime idleStopsAt, OffsetDateTime lifetimeEndsAt, UUID clonedFrom,
        boolean passwordProtected, UUID teamId, String ownerLogin) {

    /** While building-image: the image-builder's progress on the workspace's image (step n of m). */
    public record ImageBuild(String image, String buildId, int step, int steps, String stepName) {
    }

    /** Totals of tier plus add-ons. */
    public record Resources(BigDecimal cpus, String memory, long memoryBytes, int storageGb) {
    }

    static WorkspaceView of(Workspace w, Composition c, List<Integer> basePorts, int idePort, ImageBuildEvent build,
            Optional<WorkspaceActivity.Deadlines> deadlines) {
        java.util.TreeSet<Integer> ports = new java.util.TreeSet<>(basePorts);
        ports.add(idePort);
        ports.addAll(c.ports());
        return new WorkspaceView(w.id(), w.name(), w.ownerId(), w.status(), w.statusReason(), w.resourceTierId(),
                w.flavorId(), w.addonIds(), c.image(),
                new Resources(c.cpus(), Quantities.formatMemory(c.memoryBytes()), c.memoryBytes(), c.tier().storageGb()),
                List.copyOf(ports), build == null ? null : new ImageBuild(build.image(), build.buildId(), build.step(),
                        build.steps(), build.stepName()), w.createdAt(), w.updatedAt(),
                deadlines.map(WorkspaceActivity.Deadlines::lastActiveAt).orElse(null),
                deadlines.map(WorkspaceActivity.Deadlines::idleStopsAt).orElse(null),
                deadlines.map(WorkspaceActivity.Deadlines::lifetimeEndsAt).orElse(null), w.clonedFrom(),
                w.passwordProtected(), w.teamId(), w.ownerLogin());
    }
}
