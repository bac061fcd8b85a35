package dev.arcx.orchestrator.workspace;

import static dev.arcx.common.workspace.WorkspaceStatus.BUILDING_IMAGE;
import static dev.arcx.common.workspace.WorkspaceStatus.CREATING;
import static dev.arcx.common.workspace.WorkspaceStatus.DELETING;
import static dev.arcx.common.workspace.WorkspaceStatus.FAILED;
import static dev.arcx.common.workspace.WorkspaceStatus.RUNNING;
import static dev.arcx.common.workspace.WorkspaceStatus.STARTING;
import static dev.arcx.common.workspace.WorkspaceStatus.STOPPED;
import static dev.arcx.common.workspace.WorkspaceStatus.STOPPING;

import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.arcx.common.images.ImageEnsureReply;
import dev.arcx.common.images.ImageSelection;
import dev.arcx.orchestrator.catalog.CatalogService;
import dev.arcx.orchestrator.catalog.Composition;
import dev.arcx.orchestrator.config.OrchestratorConfig;
import dev.arcx.orchestrator.docker.ContainerSpec;
import dev.arcx.orchestrator.docker.DockerEngine;
import dev.arcx.orchestrator.images.ImageBuildFinished;
import dev.arcx.orchestrator.images.ImageBuilderClient;
import dev.arcx.orchestrator.user.UserRepository;
import dev.arcx.common.support.Blocking;
import dev.arcx.common.support.Outages;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The engine side of a workspace's life: bring up, stop, remove. Each operation reads the row first and acts on the
 * status it finds there, so the same call both performs a fresh request and finishes one a crash interrupted.
 * Operations on one workspace never overlap (one lock per workspace); they run on virtual threads.
 */
@ApplicationScoped
public class WorkspaceLifecycle {
    private static final Logger LOG = Logger.getLogger(WorkspaceLifecycle.class);
    /**
     * Status reason of a stopping workspace that is to start again: kept in the row, so a restart interrupted by a
     * crash still ends running.
     */
    static final String RESTARTING = "restarting";

    private final WorkspaceRepository repository;
    private final WorkspaceStates states;
    private final CatalogService catalog;
    private final DockerEngine engine;
    private final ImageBuilderClient images;
    private final WorkspaceRoutes routes;
    private final UserRepository users;
    private final OrchestratorConfig config;
    private final Blocking blocking;
    private final Timer createTimer;
    private final Timer startTimer;
    private final Map<UUID, ReentrantLock> locks = new ConcurrentHashMap<>();
    /** Clones whose files a cloner of this process is copying: the lifecycle leaves them to it. */
    private final Set<UUID> copying = ConcurrentHashMap.newKeySet();

    WorkspaceLifecycle(WorkspaceRepository repository, WorkspaceStates states, CatalogService catalog,
            DockerEngine engine, ImageBuilderClient images, WorkspaceRoutes routes,
            UserRepository users, OrchestratorConfig config, Blocking blocking, MeterRegistry metrics) {
        this.repository = repository;
        this.states = states;
        this.catalog = catalog;
        this.engine = engine;
        this.images = images;
        this.routes = routes;
        this.users = users;
        this.config = config;
        this.blocking = blocking;
        this.createTimer = Timer.builder("arcx_workspace_create_seconds")
                .description("From the create request to the IDE answering").publishPercentileHistogram()
                .register(metrics);
        this.startTimer = Timer.builder("arcx_workspace_start_seconds")
                .description("From the start request to the IDE answering").publishPercentileHistogram()
                .register(metrics);
    }

    /** Why a workspace of a suspended owner was stopped instead of started. */
    static final String OWNER_SUSPENDED = "its owner's account is suspended";

    /** Runs the operation the workspace's status calls for, in the background. */
    public void drive(UUID id) {
        blocking.submit(() -> driveNow(id));
    }

    /** Runs the operation the workspace's status calls for, on the calling (virtual) thread. */
    void driveNow(UUID id) {
        withLock(id, () -> {
            Workspace w = repository.findById(id).await().indefinitely();
            if (w == null) {
                return;
            }
            switch (w.status()) {
                case CREATING, BUILDING_IMAGE, STARTING -> {
                    if (!w.cloning()) {
                        bringUp(w);
                    } else if (!copying.contains(id)) {
                        // No cloner of this process copies its files: the copy failed, or the process doing it died.
                        fail(w, "this clone never received all of its source's files; delete it and clone the "
                                + "source again");
                    }
                }
                case STOPPING -> stop(w);
                case DELETING -> remove(w);
                default -> {
                    // Running, stopped and failed workspaces need nothing done.
                }
            }
        });
    }

    /** True while an operation holds the workspace, so the reconciler leaves it alone. */
    boolean busy(UUID id) {
        ReentrantLock lock = locks.get(id);
        return lock != null && lock.isLocked();
    }

    /** The clones' files are about to be copied by this process; claimed before their rows exist. */
    void claimCopies(Collection<UUID> clones) {
        copying.addAll(clones);
    }

    /** The clone's copy is over (done, failed, or never begun because its row was not written). */
    void releaseCopy(UUID clone) {
        copying.remove(clone);
    }

    /** Holds the locks of all {@code ids} (in their order) while {@code work} runs. */
    void withLocks(List<UUID> ids, Runnable work) {
        if (ids.isEmpty()) {
            work.run();
            return;
        }
        withLock(ids.get(0), () -> withLocks(ids.subList(1, ids.size()), work));
    }

    void withLock(UUID id, Runnable work) {
        try {
            underLock(id, () -> {
                work.run();
                return null;
            });
        } catch (RuntimeException e) {
            LOG.errorf(e, "workspace %s: operation failed", id);
        }
    }

    /** Runs {@code work} holding the workspace's lock; its failures travel to the caller. */
    private <T> T underLock(UUID id, Supplier<T> work) {
        ReentrantLock lock = locks.computeIfAbsent(id, k -> new ReentrantLock());
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes the IDE's auth file ({@link IdeAuthFile}) from the database into the workspace's container, running or
     * stopped, while no other operation holds the workspace: a start under way finishes first, so a running
     * workspace answered here already runs with the old file and needs a restart for the new one. Answers the row as
     * it was then; null when the workspace is gone. Nothing is written while it has no container: the start writes it.
     */
    Workspace writeIdeAuth(UUID id) {
        return underLock(id, () -> {
            Workspace w = repository.findById(id).await().indefinitely();
            if (w != null && w.containerId() != null && engine.inspect(w.containerId()).isPresent()) {
                writeIdeAuth(w, w.containerId());
            }
            return w;
        });
    }

    private void writeIdeAuth(Workspace w, String containerId) {
        PasswordHashes hashes = repository.passwordHashes(w.id()).await().indefinitely();
        engine.copyArchive(containerId, config.workspaces().homePath(),
                IdeAuthFile.tar(hashes == null ? null : hashes.argon2()));
    }

    private void bringUp(Workspace w) {
        boolean creating = w.status() == CREATING || (w.status() == BUILDING_IMAGE && w.containerId() == null);
        try {
            if (repository.ownerSuspended(w.id()).await().indefinitely()) {
                // A start that was on its way when the owner was suspended (a clone being copied, an image being
                // built, a reconciler's resume) must not bring the workspace up after the suspension stopped the rest.
                states.move(w.id(), List.of(CREATING, BUILDING_IMAGE, STARTING), STOPPED, OWNER_SUSPENDED)
                        .await().indefinitely();
                return;
            }
            Composition composition = catalog.compose(w.resourceTierId(), w.flavorId(), w.addonIds())
                    .await().indefinitely();
            Optional<RunnableImage> image = image(w, composition);
            if (image.isEmpty()) {
                return; // building (the image-builder's event or the reconciler resumes it) or failed
            }
            Optional<String> container = container(w, composition, image.get().name(), null);
            if (container.isEmpty()) {
                return; // failed: the workspace cannot be routed
            }
            String containerId = container.get();
            if (w.ideAuthManaged()) {
                // From the database at every start: a password change the engine missed is applied here.
                writeIdeAuth(w, containerId);
            }
            if (w.status() != STARTING
                    && states.move(w.id(), List.of(CREATING, BUILDING_IMAGE), STARTING, null).await().indefinitely() == null) {
                return; // deleted or stopped meanwhile
            }
            engine.start(containerId);
            Optional<String> problem = awaitIde(w, containerId, image.get().readyPort());
            if (problem.isPresent()) {
                fail(w, problem.get());
                return;
            }
            Workspace running = states.move(w.id(), List.of(STARTING), RUNNING, null).await().indefinitely();
            if (running != null) {
                Duration took = Duration.between(creating ? w.createdAt() : w.updatedAt(), OffsetDateTime.now());
                (creating ? createTimer : startTimer).record(took);
            }
        } catch (RuntimeException e) {
            if (Outages.unreachable(e)) {
                // The engine (or the database) is restarting: the workspace keeps its status, and the reconciler
                // brings it up once both answer again.
                LOG.warnf("workspace %s: start interrupted, resumed once the engine and the database answer: %s",
                        w.id(), e.getMessage());
                return;
            }
            LOG.warnf(e, "workspace %s failed to start", w.id());
            fail(w, "the engine refused the workspace: " + e.getMessage());
        }
    }

    /**
     * A clone's first container, made from {@code snapshot} (its source's file system outside the volume: installed
     * packages and the like) but labelled with the digest of the container its selection makes from its catalog
     * image. Later starts therefore keep this container like any workspace's, and a changed selection replaces it
     * with one of the catalog image around the same volume. The clone stays in creating for the ordinary bring-up to
     * start it. False when the clone cannot have it: its image is being built, or it failed.
     */
    boolean createCloneContainer(Workspace clone, String snapshot) {
        Composition composition = catalog.compose(clone.resourceTierId(), clone.flavorId(), clone.addonIds())
                .await().indefinitely();
        Optional<RunnableImage> image = image(clone, composition);
        return image.isPresent() && container(clone, composition, image.get().name(), snapshot).isPresent();
    }

    /**
     * The workspace's network, volume and container, the container recorded in the row; empty after failing the
     * workspace when it cannot be routed.
     *
     * @param createFrom the image to make a missing container from instead of {@code image} (a clone's snapshot)
     */
    private Optional<String> container(Workspace w, Composition composition, String image, String createFrom) {
        // Sorted maps: the digest below must come out the same in every process (Map.of's order does not).
        Map<String, String> labels = new TreeMap<>(engine.labels(w.id().toString(), w.ownerId().toString()));
        engine.ensureNetwork(w.networkName(), w.bridgeName(), labels);
        engine.ensureVolume(w.volumeName(), labels);
        Optional<Map<String, String>> routeLabels = routeLabels(w, composition);
        if (routeLabels.isEmpty()) {
            return Optional.empty();
        }
        ContainerSpec spec = containerSpec(w, composition, image, routeLabels.get());
        String containerId = ensureContainer(createFrom == null ? spec : spec.withImage(createFrom));
        if (routes.enabled()) {
            engine.ensureEdgeNetwork(routes.network(), routes.bridgeName(), Map.of());
            engine.connect(containerId, routes.network());
        }
        repository.setContainerId(w.id(), containerId).await().indefinitely();
        return Optional.of(containerId);
    }

    /** An image the engine has, and the port that answers once a container of it is up. */
    private record RunnableImage(String name, int readyPort) {
    }

    /**
     * The image to run: the configured one, or the image-builder's answer. When the image is being built the
     * workspace moves to building-image and this answers empty; so it does when the workspace failed.
     */
    private Optional<RunnableImage> image(Workspace w, Composition composition) {
        Optional<String> configured = configuredImage(composition);
        String image = configured.orElse(composition.image());
        Optional<ImageEnsureReply> reply = Optional.empty();
        if (configured.isEmpty()) {
            reply = images.ensure(ImageSelection.of(w.flavorId(), w.addonIds()));
            if (reply.isPresent()) {
                ImageEnsureReply answer = reply.get();
                switch (answer.status()) {
                    case READY -> image = answer.image();
                    case BUILDING -> {
                        // Already waiting (re-driven by the reconciler): the build was joined, nothing to announce.
                        if (w.status() != BUILDING_IMAGE) {
                            states.awaitImage(w.id(), List.of(CREATING, STARTING), answer.image(),
                                    "building image " + answer.image() + " (build " + answer.buildId() + ")")
                                    .await().indefinitely();
                        }
                        return Optional.empty();
                    }
                    case REFUSED -> {
                        fail(w, "the image cannot be built: " + answer.error());
                        return Optional.empty();
                    }
                    case ERROR -> LOG.warnf("workspace %s: %s; trying the engine's copy of %s", w.id(),
                            answer.error(), image);
                }
            }
        }
        // One lookup: whether the engine has the image, and which port it declares.
        Optional<Map<String, String>> labels = engine.imageLabels(image);
        if (labels.isEmpty() && configured.isEmpty() && builderUnavailable(reply)
                && w.updatedAt().plus(config.workspaces().startTimeout()).isAfter(OffsetDateTime.now())) {
            // The image-builder, NATS or the builder's engine is restarting: the reconciler asks again on its next
            // pass, for as long as a start may take; a builder that stays away then fails the workspace below.
            LOG.warnf("workspace %s: no image %s yet and the image-builder did not answer; asking again", w.id(),
                    image);
            return Optional.empty();
        }
        if (labels.isEmpty()) {
            fail(w, "image '" + image + "' is not available on this host"
                    + (configured.isEmpty() ? " and the image-builder did not answer" : ""));
            return Optional.empty();
        }
        return Optional.of(new RunnableImage(image,
                DockerEngine.readyPort(labels.get()).orElse(config.workspaces().idePort())));
    }

    private static boolean builderUnavailable(Optional<ImageEnsureReply> reply) {
        return reply.isEmpty() || reply.get().status() == ImageEnsureReply.Status.ERROR;
    }

    /** The image-builder finished a build: the workspaces waiting for its image go on, or fail with its reason. */
    void onImageBuildFinished(@Observes ImageBuildFinished finished) {
        if (finished.built()) {
            imageBuilt(finished.image());
        } else {
            imageFailed(finished.image(), finished.error());
        }
    }

    /** The image-builder finished {@code image}: the workspaces waiting for it go on. */
    void imageBuilt(String image) {
        repository.awaiting(image).await().indefinitely().forEach(this::drive);
    }

    /** The image-builder could not build {@code image}: the workspaces waiting for it fail with its reason. */
    void imageFailed(String image, String error) {
        String reason = error == null ? "" : ": " + error.lines().findFirst().orElse("");
        for (UUID id : repository.awaiting(image).await().indefinitely()) {
            withLock(id, () -> states.move(id, List.of(BUILDING_IMAGE), FAILED,
                    "the image " + image + " could not be built" + reason).await().indefinitely());
        }
    }

    /** Keeps an existing container whose configuration still matches; replaces it when the selection changed. */
    private String ensureContainer(ContainerSpec spec) {
        Optional<InspectContainerResponse> existing = engine.inspect(spec.name());
        if (existing.isPresent()) {
            Map<String, String> labels = existing.get().getConfig().getLabels();
            if (labels != null && spec.labels().get(DockerEngine.LABEL_SPEC).equals(labels.get(DockerEngine.LABEL_SPEC))) {
                return existing.get().getId();
            }
            engine.removeContainer(existing.get().getId());
        }
        return engine.createContainer(spec);
    }

    private void stop(Workspace w) {
        try {
            if (w.containerId() != null) {
                engine.stop(w.containerId(), (int) config.workspaces().stopTimeout().toSeconds());
            }
            if (RESTARTING.equals(w.statusReason())) {
                Workspace starting = states.move(w.id(), List.of(STOPPING), STARTING, null).await().indefinitely();
                if (starting != null) {
                    bringUp(starting);
                }
            } else {
                // The reason a stop was made for (an idle timeout, say) stays visible on the stopped workspace.
                states.move(w.id(), List.of(STOPPING), STOPPED, w.statusReason()).await().indefinitely();
            }
        } catch (RuntimeException e) {
            if (Outages.unreachable(e)) {
                LOG.warnf("workspace %s: stop interrupted, resumed once the engine and the database answer: %s",
                        w.id(), e.getMessage());
                return;
            }
            LOG.warnf(e, "workspace %s failed to stop", w.id());
            fail(w, "the engine could not stop the workspace: " + e.getMessage());
        }
    }

    private void remove(Workspace w) {
        engine.removeContainer(w.containerName());
        engine.removeNetwork(w.networkName());
        engine.removeVolume(w.volumeName());
        states.removeRow(w).await().indefinitely();
        locks.remove(w.id());
    }

    private void fail(Workspace w, String reason) {
        states.move(w.id(), List.of(CREATING, BUILDING_IMAGE, STARTING, STOPPING), FAILED, reason).await().indefinitely();
    }

    /** Waits until the ready port accepts connections, the container exits, or the start timeout passes. */
    private Optional<String> awaitIde(Workspace w, String containerId, int port) {
        long deadline = System.nanoTime() + config.workspaces().startTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            Optional<InspectContainerResponse> state = engine.inspect(containerId);
            if (state.isEmpty()) {
                return Optional.of("the container disappeared while starting");
            }
            var s = state.get().getState();
            if (!Boolean.TRUE.equals(s.getRunning())) {
                return Optional.of("the container exited with code " + s.getExitCodeLong()
                        + (Boolean.TRUE.equals(s.getOOMKilled()) ? " (out of memory)" : "") + " while starting: "
                        + lastLine(engine.logs(containerId, 5)));
            }
            Optional<String> ip = DockerEngine.address(state.get(), w.networkName());
            if (ip.isPresent() && answers(ip.get(), port)) {
                return Optional.empty();
            }
            sleep(50);
        }
        return Optional.of("the IDE did not answer on port " + port + " within "
                + config.workspaces().startTimeout().toSeconds() + "s");
    }

    /**
     * Whether the port accepts connections. Not an HTTP answer: OpenCode accepts at once but holds its first answer
     * until its start-up fetches give up, which takes minutes in a workspace without egress.
     */
    private static boolean answers(String ip, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(ip, port), 1000);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** The image configuration names for this flavor, if any (then no image-builder is asked). */
    Optional<String> configuredImage(Composition composition) {
        String byFlavor = config.images().flavor().get(composition.flavor().id());
        if (byFlavor != null) {
            return Optional.of(byFlavor);
        }
        return config.images().defaultImage().filter(s -> !s.isBlank());
    }

    /**
     * Traefik's labels for the workspace (none while routing is off), or empty after failing the workspace when its
     * name and login make no DNS label.
     */
    private Optional<Map<String, String>> routeLabels(Workspace w, Composition c) {
        if (!routes.enabled()) {
            return Optional.of(Map.of());
        }
        String login = users.findById(w.ownerId()).await().indefinitely().login();
        try {
            return Optional.of(routes.labels(w, login, c));
        } catch (IllegalArgumentException unroutable) {
            fail(w, "the workspace cannot be routed: " + unroutable.getMessage());
            return Optional.empty();
        }
    }

    ContainerSpec containerSpec(Workspace w, Composition c, String image, Map<String, String> routeLabels) {
        TreeSet<Integer> ports = new TreeSet<>(config.workspaces().basePorts());
        ports.add(config.workspaces().idePort());
        ports.addAll(c.ports());
        Map<String, String> env = new TreeMap<>(c.env());
        env.put("ARCX_WORKSPACE_ID", w.id().toString());
        env.put("ARCX_WORKSPACE_NAME", w.name());
        env.put("WORKSPACE", config.workspaces().homePath() + "/workspace");
        // A tier may promise more CPUs than this host has; the engine refuses such a limit, and it could not be
        // honoured anyway, so the workspace gets every CPU of the host instead.
        long nanoCpus = c.cpus().min(BigDecimal.valueOf(engine.hostCpus()))
                .multiply(BigDecimal.valueOf(1_000_000_000L)).longValueExact();
        // Sorted maps: the digest below must come out the same in every process (Map.of's order does not).
        Map<String, String> labels = new TreeMap<>(engine.labels(w.id().toString(), w.ownerId().toString()));
        // Routes are labels, so a changed route changes the digest and the next start recreates the container.
        labels.putAll(routeLabels);
        ContainerSpec spec = new ContainerSpec(w.containerName(), w.name(), image, labels, env, List.copyOf(ports),
                nanoCpus, c.memoryBytes(), c.memoryReservationBytes(), config.workspaces().pidsLimit(), "1000:1000",
                w.networkName(), w.volumeName(), config.workspaces().homePath(), config.workspaces().tmpSize(),
                // The gpu add-on is the one that sets NVIDIA's variables.
                env.containsKey("NVIDIA_VISIBLE_DEVICES"));
        // The digest of everything above, carried as a label, tells a later start whether the container is current.
        Map<String, String> withDigest = new TreeMap<>(labels);
        withDigest.put(DockerEngine.LABEL_SPEC, digest(spec.toString()));
        return spec.withLabels(withDigest);
    }

    private static String digest(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String lastLine(String logs) {
        String trimmed = logs.strip();
        int newline = trimmed.lastIndexOf('\n');
        return newline < 0 ? trimmed : trimmed.substring(newline + 1);
    }

    private static void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
