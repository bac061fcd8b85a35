package dev.arcx.orchestrator.sandbox;

import com.github.dockerjava.api.model.Container;
import dev.arcx.orchestrator.config.OrchestratorConfig;
import dev.arcx.orchestrator.docker.DockerEngine;
import dev.arcx.common.support.Blocking;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Keeps sandbox containers and session rows in agreement: at start (after a crash or restart) and on a schedule
 * that also ends idle sessions. The table is the truth for sessions; one-shot containers never outlive a process.
 */
@ApplicationScoped
public class SandboxJanitor {
    private static final Logger LOG = Logger.getLogger(SandboxJanitor.class);

    private final SandboxEngine engine;
    private final SandboxSessionRepository sessions;
    private final Blocking blocking;
    private final OrchestratorConfig config;

    SandboxJanitor(SandboxEngine engine, SandboxSessionRepository sessions, Blocking blocking,
            OrchestratorConfig config) {
        this.engine = engine;
        this.sessions = sessions;
        this.blocking = blocking;
        this.config = config;
    }

    void onStart(@Observes StartupEvent start) {
        blocking.submit(() -> {
            try {
                reconcile();
            } catch (RuntimeException e) {
                LOG.warnf(e, "sandbox reconciliation at start failed");
            }
        });
    }

    /**
     * One-shot containers and volumes left by an earlier process are removed; session containers with a row are
     * adopted (and started if they stopped), those without a row, or from another runtime image than the one
     * configured (whose launchers may differ), removed; rows whose container is gone are dropped with their volume,
     * and session volumes without a row removed.
     */
    public void reconcile() {
        engine.destroyAll("run");
        List<SandboxSession> rows = sessions.listAll().await().indefinitely();
        Set<String> known = rows.stream().map(SandboxSession::container).collect(Collectors.toSet());
        Set<String> present = new HashSet<>();
        for (Container found : engine.list("session")) {
            String container = DockerEngine.name(found);
            if (known.contains(container) && config.sandbox().image().equals(found.getImage())) {
                present.add(container);
                engine.ensureRunning(container);
            } else {
                LOG.infof("removing sandbox session container %s (no session, or another runtime image)", container);
                engine.destroy(container);
            }
        }
        for (SandboxSession session : rows) {
            if (!present.contains(session.container()) && !engine.exists(session.container())) {
                engine.destroy(session.container());
                sessions.delete(session.id()).await().indefinitely();
            }
        }
        // A volume whose container was never created (a crash in between) or was removed by hand.
        engine.volumes("session").stream().filter(volume -> !known.contains(volume))
                .forEach(engine::destroy);
    }

    @Scheduled(every = "${arcx.sandbox.session-sweep-interval:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        blocking.submit(this::endIdleSessions);
    }

    /** Sessions unused for longer than the idle timeout end, files and all. */
    public void endIdleSessions() {
        for (SandboxSession idle : sessions.idleSince(config.sandbox().sessionIdleTimeout()).await().indefinitely()) {
            LOG.infof("ending idle sandbox session %s", idle.id());
            engine.destroy(idle.container());
            sessions.delete(idle.id()).await().indefinitely();
        }
    }
}
