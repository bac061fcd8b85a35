package dev.arcx.imagebuilder.build;

import dev.arcx.common.images.ImageBuildEvent;
import dev.arcx.common.images.ImageEnsureReply;
import dev.arcx.common.images.ImageSelection;
import dev.arcx.common.support.Blocking;
import dev.arcx.common.support.Outages;
import dev.arcx.imagebuilder.config.ImageBuilderConfig;
import dev.arcx.imagebuilder.recipe.ImagePlanner;
import dev.arcx.imagebuilder.recipe.Layer;
import dev.arcx.imagebuilder.recipe.Recipes;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * Ensures images exist: answers at once when the image is current (the fast path: one engine lookup), else starts
 * its build or joins the one under way. One build per combination at a time; layers shared by several combinations
 * are built once (a lock per layer image); at most {@code max-parallel} combinations build at once.
 */
@ApplicationScoped
public class BuildService {
    private static final Logger LOG = Logger.getLogger(BuildService.class);
    private static final int FAILURE_TAIL_LINES = 20;

    private final ImagePlanner planner;
    private final Recipes recipes;
    private final ImageEngine engine;
    private final BuildEvents events;
    private final Blocking blocking;
    private final ImageBuilderConfig config;
    private final MeterRegistry metrics;
    private final Map<String, Build> active = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> layerLocks = new ConcurrentHashMap<>();
    private final Map<UUID, Build> history;
    private final Semaphore slots;

    BuildService(ImagePlanner planner, Recipes recipes, ImageEngine engine, BuildEvents events, Blocking blocking,
            ImageBuilderConfig config, MeterRegistry metrics) {
        this.planner = planner;
        this.recipes = recipes;
        this.engine = engine;
        this.events = events;
        this.blocking = blocking;
        this.config = config;
        this.metrics = metrics;
        this.slots = new Semaphore(config.images().build().maxParallel(), true);
        int keep = config.images().build().history();
        this.history = new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<UUID, Build> eldest) {
                return size() > keep && eldest.getValue().status().finished();
            }
        };
    }

    /** The answer to an ensure: ready with the image, or the build that makes it. */
    public record Ensured(ImageEnsureReply reply, Build build) {
    }

    public Uni<Ensured> ensure(ImageSelection selection) {
        long start = System.nanoTime();
        // Planning reads and hashes the recipe files, the fast path asks the engine: both off the event loop.
        return blocking.call(() -> {
            ImagePlanner.Plan plan = planner.plan(selection);
            Layer target = plan.target();
            if (!active.containsKey(target.image()) && engine.current(target)) {
                return new Ensured(ImageEnsureReply.ready(target.image()), null);
            }
            Build build = join(plan, selection);
            return new Ensured(ImageEnsureReply.building(target.image(), build.id().toString()), build);
        }).invoke(ensured -> Timer.builder("arcx_image_ensure_seconds")
                .tag("result", ensured.build() == null ? "ready" : "building").register(metrics)
                .record(Duration.ofNanos(System.nanoTime() - start)));
    }

    public Optional<Build> build(UUID id) {
        synchronized (history) {
            return Optional.ofNullable(history.get(id));
        }
    }

    /** Builds under way and the most recent finished ones, newest first. */
    public List<Build> builds() {
        List<Build> all;
        synchronized (history) {
            all = new ArrayList<>(history.values());
        }
        return all.reversed();
    }

    /** Whether a build under way produces or uses {@code image}. */
    public boolean building(String image) {
        ReentrantLock layer = layerLocks.get(image);
        return active.containsKey(image) || (layer != null && layer.isLocked());
    }

    /** The build of this combination under way, or a new one. */
    private Build join(ImagePlanner.Plan plan, ImageSelection selection) {
        Build fresh = new Build(plan.target().image(), selection, config.images().build().logLines());
        Build existing = active.putIfAbsent(plan.target().image(), fresh);
        if (existing != null) {
            return existing;
        }
        synchronized (history) {
            history.put(fresh.id(), fresh);
        }
        blocking.submit(() -> run(fresh, plan));
        return fresh;
    }

    private void run(Build build, ImagePlanner.Plan plan) {
        long deadline = System.nanoTime() + config.images().build().timeout().toNanos();
        try {
            build.log("queued: " + build.image());
            slots.acquire();
            try {
                buildThroughOutages(build, plan, deadline);
            } finally {
                slots.release();
            }
            build.finish(Build.Status.SUCCEEDED, null);
            events.publish(build, ImageBuildEvent.Kind.BUILT);
            count("succeeded");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(build, "interrupted: the image-builder is stopping");
        } catch (RuntimeException e) {
            LOG.warnf("build %s of %s failed: %s", build.id(), build.image(), e.getMessage());
            fail(build, e.getMessage());
        } finally {
            active.remove(build.image(), build);
        }
    }

    /**
     * Builds; when the engine cannot be reached (restarting, say), waits until it answers and builds again, within
     * the build's deadline: the workspaces waiting for the image should not fail over a moment's absence. Layers
     * finished before the outage are current and are not built twice.
     */
    private void buildThroughOutages(Build build, ImagePlanner.Plan plan, long deadline) throws InterruptedException {
        while (true) {
            try {
                build(build, plan, deadline);
                return;
            } catch (RuntimeException e) {
                if (System.nanoTime() >= deadline
                        || !(Outages.unreachable(e) || (!recipeStepFailed(e) && engineWentAway()))) {
                    throw e;
                }
                LOG.warnf("build %s of %s: the engine cannot be reached (%s); building again once it answers",
                        build.id(), build.image(), e.getMessage());
                build.log("the engine cannot be reached (" + e.getMessage() + "); building again once it answers");
                while (!engine.reachable()) {
                    if (System.nanoTime() >= deadline) {
                        throw e;
                    }
                    TimeUnit.SECONDS.sleep(1);
                }
            }
        }
    }

    /**
     * Whether a recipe's own command failed: the engine's words for a RUN step that exited non-zero, unless a signal
     * ended it (128 + KILL or TERM), as an engine that shuts down ends the steps it runs.
     */
    private static boolean recipeStepFailed(Throwable failure) {
        for (Throwable cause = failure; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            String message = cause.getMessage();
            if (message != null && message.contains("returned a non-zero code")) {
                return !message.contains("non-zero code: 137") && !message.contains("non-zero code: 143");
            }
        }
        return false;
    }

    /**
     * Whether the engine stopped answering right after the build failed otherwise: an engine that shuts down fails
     * the build it runs with an error of its own (an overlay it can no longer mount, say) before it closes its socket.
     */
    private boolean engineWentAway() throws InterruptedException {
        TimeUnit.SECONDS.sleep(1);
        return !engine.reachable();
    }

    private void build(Build build, ImagePlanner.Plan plan, long deadline) {
        List<Layer> missing = plan.layers().stream().filter(l -> !engine.current(l)).toList();
        build.started(missing.size());
        int step = 0;
        for (Layer layer : plan.layers()) {
            boolean needed = missing.contains(layer);
            if (needed) {
                step++;
                build.step(step, layer.title());
                events.publish(build, ImageBuildEvent.Kind.PROGRESS);
            }
            ReentrantLock lock = layerLocks.computeIfAbsent(layer.image(), k -> new ReentrantLock());
            lock.lock();
            try {
                long start = System.nanoTime();
                // Another combination's build may have made this layer while we waited for its lock.
                if (!needed || engine.current(layer)) {
                    build.log("layer " + layer.title() + " (" + layer.image() + ") is current");
                    build.layer(new Build.LayerResult(layer.title(), layer.image(), true, 0));
                    continue;
                }
                build.log("building " + layer.title() + " as " + layer.image());
                String parent = layer.parent() != null ? layer.parent() : engine.rootImage(build::log);
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw new IllegalStateException("the build took longer than " + config.images().build().timeout());
                }
                try {
                    engine.build(layer, parent, recipes.context(layer.recipe(), layer.kind() == Layer.Kind.BASE),
                            Duration.ofNanos(remaining), build::log);
                } catch (RuntimeException e) {
                    if (System.nanoTime() >= deadline) {
                        throw new IllegalStateException("the build took longer than "
                                + config.images().build().timeout() + " and was cancelled", e);
                    }
                    throw new IllegalStateException(layer.title() + " failed: " + e.getMessage(), e);
                }
                if (!engine.current(layer)) {
                    throw new IllegalStateException(layer.title() + ": the engine reported success but "
                            + layer.image() + " does not carry recipe hash " + layer.hash());
                }
                long nanos = System.nanoTime() - start;
                build.layer(new Build.LayerResult(layer.title(), layer.image(), false, nanos / 1e9));
                Timer.builder("arcx_image_layer_build_seconds").tag("kind", layer.kind().name().toLowerCase())
                        .register(metrics).record(Duration.ofNanos(nanos));
            } finally {
                lock.unlock();
            }
        }
    }

    private void fail(Build build, String reason) {
        List<String> tail = build.tail(FAILURE_TAIL_LINES);
        build.finish(Build.Status.FAILED, reason + (tail.isEmpty() ? "" : "\n--- log tail ---\n" + String.join("\n", tail)));
        events.publish(build, ImageBuildEvent.Kind.FAILED);
        count("failed");
    }

    private void count(String result) {
        metrics.counter("arcx_image_builds_total", "result", result).increment();
    }
}
