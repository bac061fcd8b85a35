package dev.arcx.orchestrator.workspace;

import static dev.arcx.common.workspace.WorkspaceStatus.RUNNING;

import dev.arcx.orchestrator.config.OrchestratorConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * When each workspace was last used, and when its plan's idle timeout and maximum lifetime end. Every request through
 * the edge counts as activity, so it is noted in memory and written to {@code workspaces.last_active_at} at most every
 * {@code arcx.workspaces.activity-flush-interval}, not once per request.
 */
@ApplicationScoped
public class WorkspaceActivity {
    private static final Logger LOG = Logger.getLogger(WorkspaceActivity.class);
    private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(10);

    /** Activity not yet written to the database. */
    private final Map<UUID, OffsetDateTime> unwritten = new ConcurrentHashMap<>();
    private final WorkspaceRepository repository;
    private final OrchestratorConfig.Workspaces config;

    WorkspaceActivity(WorkspaceRepository repository, OrchestratorConfig config) {
        this.repository = repository;
        this.config = config.workspaces();
    }

    /** The workspace is in use now. */
    public void touch(UUID workspaceId) {
        // Microseconds, as PostgreSQL keeps them: the view then shows the same time before and after the flush.
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        unwritten.merge(workspaceId, now, (a, b) -> a.isAfter(b) ? a : b);
    }

    /** The latest activity, whether written yet or not; null if the workspace has never run. */
    public OffsetDateTime lastActive(Workspace w) {
        OffsetDateTime pending = unwritten.get(w.id());
        if (pending == null || (w.lastActiveAt() != null && w.lastActiveAt().isAfter(pending))) {
            return w.lastActiveAt();
        }
        return pending;
    }

    /** When a running workspace will be stopped for inactivity and for its age; empty unless it is running. */
    public Optional<Deadlines> deadlines(Workspace w, String planId) {
        OffsetDateTime lastActive = lastActive(w);
        if (w.status() != RUNNING || lastActive == null
                || w.startedAt() == null) {
            return Optional.empty();
        }
        return Optional.of(new Deadlines(lastActive, lastActive.plus(idleTimeout(planId)),
                w.startedAt().plus(maxLifetime(planId))));
    }

    public Duration idleTimeout(String planId) {
        return plan(planId).flatMap(OrchestratorConfig.WorkspacePlan::idleTimeout).orElse(config.idleTimeout());
    }

    public Duration maxLifetime(String planId) {
        return plan(planId).flatMap(OrchestratorConfig.WorkspacePlan::maxLifetime).orElse(config.maxLifetime());
    }

    private Optional<OrchestratorConfig.WorkspacePlan> plan(String planId) {
        return Optional.ofNullable(planId == null ? null : config.plans().get(planId));
    }

    @Scheduled(every = "${arcx.workspaces.activity-flush-interval:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void flush() {
        Map<UUID, OffsetDateTime> batch = new HashMap<>(unwritten);
        if (batch.isEmpty()) {
            return;
        }
        try {
            // Bounded: the last flush runs at shutdown, when the database may already be unreachable.
            repository.recordActivity(batch).await().atMost(FLUSH_TIMEOUT);
            // Only what was written leaves memory: a touch during the write stays for the next flush.
            batch.forEach(unwritten::remove);
        } catch (RuntimeException e) {
            LOG.warnf(e, "activity of %d workspaces was not written; the next flush retries", batch.size());
        }
    }

    /** A restart should not lose the last few seconds of activity. */
    void onStop(@Observes ShutdownEvent stop) {
        flush();
    }

    /**
     * @param lastActiveAt the latest activity
     * @param idleStopsAt when the workspace is stopped unless it is used before
     * @param lifetimeEndsAt when it is stopped whatever happens, its plan's maximum lifetime after it started
     */
    public record Deadlines(OffsetDateTime lastActiveAt, OffsetDateTime idleStopsAt, OffsetDateTime lifetimeEndsAt) {
    }
}
