package dev.arcx.orchestrator.workspace;

import static dev.arcx.common.workspace.WorkspaceStatus.FAILED;
import static dev.arcx.common.workspace.WorkspaceStatus.RUNNING;
import static dev.arcx.common.workspace.WorkspaceStatus.STARTING;
import static dev.arcx.common.workspace.WorkspaceStatus.STOPPED;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.Network;
import dev.arcx.orchestrator.config.OrchestratorConfig;
import dev.arcx.orchestrator.docker.DockerEngine;
import dev.arcx.common.support.Blocking;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.Closeable;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Keeps the database and the engine in agreement: at start (finishing what a crash interrupted), periodically, and on
 * every container event the engine reports. The database says what should be; the engine says what is.
 */
@ApplicationScoped
public class WorkspaceReconciler {
    private static final Logger LOG = Logger.getLogger(WorkspaceReconciler.class);
    private static final Set<String> DEATH_EVENTS = Set.of("die", "oom", "destroy", "kill");
    /** 128 + SIGTERM: how a workspace ends when stopped from outside arcx, a clean stop rather than a failure. */
    private static final long EXIT_ON_SIGTERM = 143;

    private final WorkspaceRepository repository;
    private final WorkspaceStates states;
    private final WorkspaceLifecycle lifecycle;
    private final DockerEngine engine;
    private final Blocking blocking;
    private final OrchestratorConfig config;
    private final WorkspaceCloner cloner;
    private final AtomicBoolean passRunning = new AtomicBoolean();
    private volatile Closeable eventStream;
    private volatile boolean shuttingDown;

    WorkspaceReconciler(WorkspaceRepository repository, WorkspaceStates states, WorkspaceLifecycle lifecycle,
            DockerEngine engine, Blocking blocking, OrchestratorConfig config, WorkspaceCloner cloner) {
        this.repository = repository;
        this.states = states;
        this.lifecycle = lifecycle;
        this.engine = engine;
        this.blocking = blocking;
        this.config = config;
        this.cloner = cloner;
    }

    void onStart(@Observes StartupEvent start) {
        blocking.submit(() -> {
            followEvents();
            reconcileAll();
        });
    }

    void onStop(@Observes ShutdownEvent stop) throws IOException {
        shuttingDown = true;
        Closeable stream = eventStream;
        if (stream != null) {
            stream.close();
        }
    }

    @Scheduled(every = "${arcx.reconcile.interval}", delayed = "${arcx.reconcile.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void periodic() {
        blocking.submit(this::reconcileAll);
    }

    /** One full pass; passes never overlap. */
    public void reconcileAll() {
        if (!passRunning.compareAndSet(false, true)) {
            return;
        }
        try {
            List<Workspace> rows = repository.listAll().await().indefinitely();
            List<Container> containers = engine.managedContainers();
            Map<String, Container> byName = containers.stream().collect(Collectors.toMap(
                    DockerEngine::name, Function.identity(), (a, b) -> a));
            for (Workspace w : rows) {
                if (!lifecycle.busy(w.id())) {
                    reconcile(w, Optional.ofNullable(byName.get(w.containerName())));
                }
            }
            removeOrphans(rows, containers);
            cloner.removeStaleSnapshots();
        } catch (RuntimeException e) {
            LOG.warnf(e, "reconciliation pass failed; the next one will retry");
        } finally {
            passRunning.set(false);
        }
    }

    private void reconcile(Workspace w, Optional<Container> container) {
        switch (w.status()) {
            // A building-image workspace re-asks for its image: it joins the build, or goes on if the image is
            // there (a built event may have been missed while this process was down).
            case CREATING, BUILDING_IMAGE, STARTING, STOPPING, DELETING -> lifecycle.drive(w.id());
            case RUNNING -> {
                if (container.isPresent() && "paused".equals(container.get().getState())) {
                    // Only a clone's snapshot pauses a workspace, under its lock: one paused now was left so by a
                    // crash in the middle of a snapshot.
                    engine.unpause(container.get().getId());
                } else if (container.isEmpty() || !"running".equals(container.get().getState())) {
                    observeExit(w.id());
                }
            }
            case STOPPED, FAILED -> {
                if (container.isPresent() && "running".equals(container.get().getState())) {
                    // Started behind our back: the database's word wins.
                    engine.stop(container.get().getId(), (int) config.workspaces().stopTimeout().toSeconds());
                } else if (container.isEmpty() && w.containerId() != null) {
                    // Repair the row: the next start creates a new container around the same volume.
                    repository.setContainerId(w.id(), null).await().indefinitely();
                }
            }
        }
    }

    /**
     * A running workspace's container is no longer running: stopped if it exited cleanly, failed otherwise, and
     * recreated if it vanished.
     */
    void observeExit(UUID workspaceId) {
        lifecycle.withLock(workspaceId, () -> {
            Workspace w = repository.findById(workspaceId).await().indefinitely();
            if (w == null || w.status() != RUNNING) {
                return;
            }
            Optional<InspectContainerResponse> state = engine.inspect(w.containerName());
            if (state.isPresent() && Boolean.TRUE.equals(state.get().getState().getRunning())) {
                return;
            }
            if (state.isEmpty()) {
                // Repair: the volume still holds the user's files, so a new container brings the workspace back.
                if (states.move(w.id(), List.of(RUNNING), STARTING, "the container vanished; recreating it")
                        .await().indefinitely() != null) {
                    lifecycle.drive(w.id());
                }
                return;
            }
            var s = state.get().getState();
            Long code = s.getExitCodeLong();
            if (Boolean.TRUE.equals(s.getOOMKilled())) {
                states.move(w.id(), List.of(RUNNING), FAILED, "the workspace ran out of memory").await().indefinitely();
            } else if (code != null && (code == 0 || code == EXIT_ON_SIGTERM)) {
                states.move(w.id(), List.of(RUNNING), STOPPED, "the workspace's main process exited")
                        .await().indefinitely();
            } else {
                states.move(w.id(), List.of(RUNNING), FAILED, "the container exited with code " + code)
                        .await().indefinitely();
            }
        });
    }

    /**
     * Engine objects labelled by arcx whose workspace has no row. Rows are written before any engine object, so
     * such objects come from deletions a crash interrupted, or from another database; the grace period protects
     * anything being created right now, by a second orchestrator or by this one after {@code rows} was read. A
     * workspace's network is created before its volume and its container, so a young network protects those two
     * while they do not exist yet.
     */
    private void removeOrphans(List<Workspace> rows, List<Container> containers) {
        Set<String> known = rows.stream().map(w -> w.id().toString()).collect(Collectors.toSet());
        Instant graceEnd = Instant.now().minus(config.reconcile().orphanGrace());
        Set<String> keep = new HashSet<>(known);
        Map<String, Boolean> rowNow = new HashMap<>();
        // The rows were read before the engine was listed: a workspace created in between has objects but was not
        // among them. Asking the database again right before removing anything closes that window.
        Predicate<String> orphan = id -> !keep.contains(id) && !rowNow.computeIfAbsent(id, this::rowExists);
        for (Container c : containers) {
            String id = c.getLabels().get(DockerEngine.LABEL_WORKSPACE);
            if (c.getCreated() != null && c.getCreated() > graceEnd.getEpochSecond()) {
                keep.add(id);
            } else if (orphan.test(id)) {
                LOG.infof("removing orphan container %s of unknown workspace %s", c.getId(), id);
                engine.removeContainer(c.getId());
            }
        }
        // Volumes first: the network of every volume listed here is then in the network listing.
        List<DockerEngine.InspectVolumeSummary> volumes = engine.managedVolumes();
        List<Network> networks = engine.managedNetworks();
        networks.stream()
                .filter(n -> n.getCreated() != null && n.getCreated().toInstant().isAfter(graceEnd))
                .forEach(n -> keep.add(n.getLabels().get(DockerEngine.LABEL_WORKSPACE)));
        networks.stream()
                .filter(n -> n.getContainers() == null || n.getContainers().isEmpty())
                .filter(n -> orphan.test(n.getLabels().get(DockerEngine.LABEL_WORKSPACE)))
                .forEach(n -> engine.removeNetwork(n.getName()));
        volumes.stream()
                .filter(v -> orphan.test(v.labels().get(DockerEngine.LABEL_WORKSPACE)))
                .forEach(v -> engine.removeVolume(v.name()));
    }

    private boolean rowExists(String workspaceId) {
        try {
            return repository.findById(UUID.fromString(workspaceId)).await().indefinitely() != null;
        } catch (IllegalArgumentException notAnId) {
            return false;
        }
    }

    private void followEvents() {
        if (shuttingDown) {
            return;
        }
        try {
            eventStream = engine.followWorkspaceEvents(this::onEngineEvent, failure -> {
                if (!shuttingDown) {
                    LOG.warnf("engine event stream ended (%s); reconnecting", failure == null ? "closed" : failure.getMessage());
                    blocking.submit(() -> {
                        pause(2);
                        followEvents();
                        reconcileAll();
                    });
                }
            });
        } catch (RuntimeException e) {
            LOG.warnf("cannot follow engine events (%s); retrying", e.getMessage());
            blocking.submit(() -> {
                pause(5);
                followEvents();
            });
        }
    }

    private void onEngineEvent(Event event) {
        if (!DEATH_EVENTS.contains(event.getAction()) || event.getActor() == null
                || event.getActor().getAttributes() == null) {
            return;
        }
        String id = event.getActor().getAttributes().get(DockerEngine.LABEL_WORKSPACE);
        if (id != null) {
            blocking.submit(() -> observeExit(UUID.fromString(id)));
        }
    }

    private static void pause(int seconds) {
        try {
            TimeUnit.SECONDS.sleep(seconds);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
