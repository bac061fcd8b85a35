package dev.arcx.orchestrator.sandbox;

import dev.arcx.orchestrator.config.OrchestratorConfig;
import dev.arcx.orchestrator.docker.DockerEngine;
import dev.arcx.common.support.Blocking;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Started, untouched containers with the default limits, a few per language, so a run skips container creation.
 * Each is used for one run and destroyed; the pool refills in the background.
 */
@ApplicationScoped
public class SandboxPool {
    private static final Logger LOG = Logger.getLogger(SandboxPool.class);
    /** The longest a used container waits for runs in flight to end before it is removed anyway. */
    private static final Duration HOUSEKEEPING_DELAY = Duration.ofSeconds(2);

    private final SandboxEngine engine;
    private final DockerEngine docker;
    private final Blocking blocking;
    private final OrchestratorConfig config;
    private final RunLimits defaults;
    private final Map<Language, ConcurrentLinkedDeque<Warm>> ready = new EnumMap<>(Language.class);
    private final Map<Language, AtomicInteger> creating = new EnumMap<>(Language.class);
    private final AtomicInteger runsInFlight = new AtomicInteger();
    private final ConcurrentLinkedQueue<Runnable> afterRuns = new ConcurrentLinkedQueue<>();

    SandboxPool(SandboxEngine engine, DockerEngine docker, Blocking blocking, OrchestratorConfig config,
            MeterRegistry metrics) {
        this.engine = engine;
        this.docker = docker;
        this.blocking = blocking;
        this.config = config;
        this.defaults = RunLimits.forPlan(config.sandbox(), "");
        for (Language language : Language.values()) {
            ConcurrentLinkedDeque<Warm> containers = new ConcurrentLinkedDeque<>();
            ready.put(language, containers);
            creating.put(language, new AtomicInteger());
            Gauge.builder("arcx_sandbox_pool_ready", containers, ConcurrentLinkedDeque::size)
                    .tag("language", language.id()).description("Warm sandbox containers ready to run")
                    .register(metrics);
        }
    }

    /** Containers left by an earlier process may have been handed out already: replace them all. */
    void onStart(@Observes StartupEvent start) {
        blocking.submit(() -> {
            try {
                engine.destroyAll("pool");
            } catch (RuntimeException e) {
                LOG.warnf("cannot clear the old sandbox pool: %s", e.getMessage());
            }
            if (!docker.imageExists(config.sandbox().image())) {
                LOG.warnf("sandbox image %s is not on this engine: no warm pool, and runs fail until it is built "
                        + "(images/sandbox-runtime/build.sh)", config.sandbox().image());
                return;
            }
            for (Language language : Language.values()) {
                refill(language);
            }
        });
    }

    /** Warm containers belong to this process: none is left on the engine when it stops. */
    void onStop(@Observes ShutdownEvent stop) {
        for (ConcurrentLinkedDeque<Warm> containers : ready.values()) {
            for (Warm warm = containers.pollFirst(); warm != null; warm = containers.pollFirst()) {
                try {
                    engine.destroy(warm.name());
                } catch (RuntimeException e) {
                    LOG.debugf("could not remove %s at shutdown; the next start will: %s", warm.name(), e.getMessage());
                }
            }
        }
    }

    /** A started container with the language's interpreter already waiting in it. */
    record Warm(String name, SandboxEngine.Primed primed) {
        /**
         * Whether the waiting launcher is still there to take a run, told by its own attached stream rather than an
         * engine call per run: the stream ends when the launcher does (its container died or was stopped, as an
         * engine restart does to all of them) and when the connection to the engine breaks, which leaves the
         * launcher without its stdin either way.
         */
        boolean alive() {
            return !primed.stream().ended();
        }
    }

    /**
     * A warm container for a run with these limits, if one is ready. The caller calls {@link #refill} once its run
     * is over, so creating the replacement does not compete with the run for the engine.
     */
    Optional<Warm> take(Language language, RunLimits limits) {
        if (!limits.equals(defaults)) {
            return Optional.empty();
        }
        for (Warm warm = ready.get(language).pollFirst(); warm != null; warm = ready.get(language).pollFirst()) {
            if (warm.alive()) {
                return Optional.of(warm);
            }
            // Its launcher is gone (a restart of the engine stops every container, and its interpreter with it; a
            // broken connection to the engine loses the launcher's stdin): of no use to a run. The refill after the
            // run replaces it.
            String stopped = warm.name();
            blocking.submit(() -> {
                try {
                    engine.destroy(stopped);
                } catch (RuntimeException e) {
                    LOG.debugf("could not remove the stopped sandbox %s; the next start will: %s", stopped,
                            e.getMessage());
                }
            });
        }
        return Optional.empty();
    }

    /** A one-shot run starts: removing and creating containers waits until it ends (see {@link #runEnded}). */
    void runStarted() {
        runsInFlight.incrementAndGet();
    }

    /**
     * A one-shot run ended: its container, with whatever the run left running in it, is removed and the language's
     * pool topped up once no run is in flight, or {@link #HOUSEKEEPING_DELAY} later under steady load. Engine work
     * (above all removing and starting containers: mounts, cgroups, runc) would hold up the runs still in flight.
     */
    void runEnded(String name, Language language) {
        afterRuns.add(() -> {
            engine.destroy(name);
            refill(language);
        });
        if (runsInFlight.decrementAndGet() == 0) {
            housekeep();
        } else {
            blocking.submit(() -> {
                try {
                    Thread.sleep(HOUSEKEEPING_DELAY.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                housekeep();
            });
        }
    }

    private void housekeep() {
        for (Runnable work = afterRuns.poll(); work != null; work = afterRuns.poll()) {
            Runnable next = work;
            blocking.submit(() -> {
                try {
                    next.run();
                } catch (RuntimeException e) {
                    LOG.warnf("sandbox clean-up after a run failed: %s", e.getMessage());
                }
            });
        }
    }

    int readyCount(Language language) {
        return ready.get(language).size();
    }

    /** Tops the language's pool up to its size; blocking. */
    void refill(Language language) {
        AtomicInteger inFlight = creating.get(language);
        while (ready.get(language).size() + inFlight.get() < config.sandbox().poolSize()) {
            inFlight.incrementAndGet();
            try {
                String name = "arcx-sbx-" + UUID.randomUUID();
                String id = engine.create(name, defaults,
                        engine.labels("pool", Map.of(SandboxEngine.LABEL_LANGUAGE, language.id())), false);
                ready.get(language).addLast(new Warm(name, engine.prime(id, language)));
            } catch (RuntimeException e) {
                LOG.warnf("cannot warm a %s sandbox: %s", language.id(), e.getMessage());
                return;
            } finally {
                inFlight.decrementAndGet();
            }
        }
    }
}
