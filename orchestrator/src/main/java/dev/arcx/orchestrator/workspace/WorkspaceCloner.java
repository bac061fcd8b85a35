package dev.arcx.orchestrator.workspace;

import static dev.arcx.common.workspace.WorkspaceStatus.CREATING;
import static dev.arcx.common.workspace.WorkspaceStatus.FAILED;
import static dev.arcx.common.workspace.WorkspaceStatus.RUNNING;
import static dev.arcx.common.workspace.WorkspaceStatus.STOPPED;

import com.github.dockerjava.api.model.Image;
import dev.arcx.common.support.Blocking;
import dev.arcx.orchestrator.config.OrchestratorConfig;
import dev.arcx.orchestrator.docker.DockerEngine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The background half of a clone request: snapshot the source, copy its volume into each clone's, give each clone a
 * container made from the snapshot, remove the snapshot, and hand the clones to the lifecycle to start.
 *
 * <p>A running source is paused for the snapshot and the copy of its volume into the first clone, so its file system
 * and its volume are copied as of one instant (a repository mid-write is then copied like after a power cut, not torn
 * across seconds of writes); the other clones are copied from the first clone's volume after the source resumes.
 * Its status and data are never changed. The
 * work holds the locks of the source and of every clone, so a stop or deletion asked meanwhile waits for it.
 */
@ApplicationScoped
public class WorkspaceCloner {
    private static final Logger LOG = Logger.getLogger(WorkspaceCloner.class);

    private final WorkspaceRepository repository;
    private final WorkspaceStates states;
    private final WorkspaceLifecycle lifecycle;
    private final DockerEngine engine;
    private final Blocking blocking;
    private final OrchestratorConfig config;
    private final MeterRegistry metrics;
    /** Snapshot images a clone request of this process still needs; the sweep leaves them alone. */
    private final Set<String> snapshotsInUse = ConcurrentHashMap.newKeySet();
    private final Timer pauseTimer;

    WorkspaceCloner(WorkspaceRepository repository, WorkspaceStates states, WorkspaceLifecycle lifecycle,
            DockerEngine engine, Blocking blocking, OrchestratorConfig config, MeterRegistry metrics) {
        this.repository = repository;
        this.states = states;
        this.lifecycle = lifecycle;
        this.engine = engine;
        this.blocking = blocking;
        this.config = config;
        this.metrics = metrics;
        this.pauseTimer = Timer.builder("arcx_workspace_clone_source_paused_seconds")
                .description("How long a clone request keeps its running source paused (snapshot and one copy)")
                .register(metrics);
    }

    /** Clones {@code source} into {@code clones} (rows in creating, claimed with the lifecycle), in the background. */
    void start(UUID source, List<UUID> clones) {
        blocking.submit(() -> {
            List<UUID> locked = new ArrayList<>();
            locked.add(source);
            locked.addAll(clones);
            try {
                lifecycle.withLocks(locked, () -> cloneNow(source, clones));
            } finally {
                clones.forEach(lifecycle::releaseCopy);
            }
            // The clones with a container start like any created workspace; failed ones stay as they are.
            clones.forEach(lifecycle::drive);
        });
    }

    private void cloneNow(UUID sourceId, List<UUID> cloneIds) {
        List<Workspace> clones = cloneIds.stream().map(id -> repository.findById(id).await().indefinitely())
                .filter(Objects::nonNull).filter(c -> c.status() == CREATING).toList();
        Workspace source = repository.findById(sourceId).await().indefinitely();
        if (source == null || (source.status() != RUNNING && source.status() != STOPPED)) {
            failAll(clones, "the source workspace was " + (source == null ? "deleted" : source.status().wireName())
                    + " when its snapshot was due");
            return;
        }
        var container = engine.inspect(source.containerName());
        if (container.isEmpty()) {
            failAll(clones, "the source workspace has no container to take a snapshot of; start it once");
            return;
        }
        String containerId = container.get().getId();
        boolean pause = Boolean.TRUE.equals(container.get().getState().getRunning())
                && !Boolean.TRUE.equals(container.get().getState().getPaused());
        String tag = sourceId + "-" + UUID.randomUUID().toString().substring(0, 8);
        String snapshot = DockerEngine.SNAPSHOT_REPOSITORY + ":" + tag;
        snapshotsInUse.add(snapshot);
        List<Workspace> copied = new ArrayList<>();
        try {
            long pausedAt = System.nanoTime();
            if (pause) {
                engine.pause(containerId);
            }
            Optional<Workspace> first;
            try {
                timed("snapshot", () -> engine.snapshot(containerId, sourceId.toString(), tag));
                first = timed("copy", () -> copyFirst(source, snapshot, clones));
            } finally {
                if (pause) {
                    engine.unpause(containerId);
                    pauseTimer.record(System.nanoTime() - pausedAt, TimeUnit.NANOSECONDS);
                }
            }
            first.ifPresent(copied::add);
            if (first.isPresent()) {
                List<Workspace> rest = clones.subList(clones.indexOf(first.get()) + 1, clones.size());
                copied.addAll(timed("copy", () -> copyVolumes(first.get().volumeName(), snapshot, rest)));
            }
            List<Workspace> toCreate = copied;
            timed("containers", () -> {
                toCreate.forEach(clone -> createContainer(clone, snapshot));
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warnf(e, "workspace %s: cloning failed", sourceId);
            List<UUID> done = copied.stream().map(Workspace::id).toList();
            failAll(clones.stream().filter(c -> !done.contains(c.id())).toList(),
                    "the snapshot of the source failed: " + e.getMessage());
        } finally {
            // The clones' containers keep the layers they need; the image itself would only take space.
            timed("snapshot-removal", () -> {
                engine.removeImage(snapshot);
                return null;
            });
            snapshotsInUse.remove(snapshot);
        }
    }

    /**
     * While the source is paused: copies its volume into the first clone that takes it (the others before it failed
     * with their reason). The rest are copied from that clone's volume once the source runs again, so the source
     * pauses for one copy whatever the count, and every clone still gets the files of the same instant.
     */
    private Optional<Workspace> copyFirst(Workspace source, String snapshot, List<Workspace> clones) {
        for (Workspace clone : clones) {
            if (!copyVolumes(source.volumeName(), snapshot, List.of(clone)).isEmpty()) {
                return Optional.of(clone);
            }
        }
        return Optional.empty();
    }

    /**
     * Copies volume {@code from} into each clone's, all at once; answers the clones that have their files. A clone
     * whose copy fails is failed with the reason, the others go on.
     */
    private List<Workspace> copyVolumes(String from, String snapshot, List<Workspace> clones) {
        List<Workspace> copied = new ArrayList<>();
        try (ExecutorService copies = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = clones.stream().<Future<?>>map(clone -> copies.submit(() -> {
                var labels = engine.labels(clone.id().toString(), clone.ownerId().toString());
                engine.ensureVolume(clone.volumeName(), labels);
                engine.copyVolume(snapshot, from, clone.volumeName(), labels,
                        config.clones().copyTimeout());
                repository.copied(clone.id()).await().indefinitely();
            })).toList();
            for (int i = 0; i < clones.size(); i++) {
                Workspace clone = clones.get(i);
                try {
                    running.get(i).get();
                    copied.add(clone);
                } catch (ExecutionException e) {
                    LOG.warnf(e.getCause(), "workspace %s: copying the files from %s failed", clone.id(), from);
                    fail(clone, "copying the source's files failed: " + e.getCause().getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        }
        return copied;
    }

    private void createContainer(Workspace clone, String snapshot) {
        try {
            lifecycle.createCloneContainer(clone, snapshot);
        } catch (RuntimeException e) {
            LOG.warnf(e, "workspace %s: creating the clone's container failed", clone.id());
            fail(clone, "the engine refused the clone's container: " + e.getMessage());
        }
    }

    /**
     * Removes snapshot images of this installation that no clone request of this process needs: those a crash left
     * behind. Images younger than the orphan grace may belong to a request that has not named its snapshot yet.
     */
    void removeStaleSnapshots() {
        long graceEnd = Instant.now().minus(config.reconcile().orphanGrace()).getEpochSecond();
        for (Image image : engine.snapshotImages()) {
            List<String> tags = image.getRepoTags() == null ? List.of() : Arrays.asList(image.getRepoTags());
            if (image.getCreated() != null && image.getCreated() < graceEnd
                    && tags.stream().noneMatch(snapshotsInUse::contains)) {
                LOG.infof("removing stale snapshot image %s %s", image.getId(), tags);
                engine.removeImage(image.getId());
            }
        }
    }

    private void failAll(List<Workspace> clones, String reason) {
        clones.forEach(clone -> fail(clone, reason));
    }

    private void fail(Workspace clone, String reason) {
        states.move(clone.id(), List.of(CREATING), FAILED, reason).await().indefinitely();
    }

    private <T> T timed(String phase, Supplier<T> work) {
        return Timer.builder("arcx_workspace_clone_phase_seconds")
                .description("Time of each phase of a clone request (snapshot, copy, containers, snapshot-removal)")
                .tag("phase", phase).register(metrics).record(work);
    }
}
