package dev.arcx.orchestrator.workspace;

import static dev.arcx.common.workspace.WorkspaceStatus.RUNNING;
import static dev.arcx.common.workspace.WorkspaceStatus.STOPPING;

import dev.arcx.common.support.Blocking;
import dev.arcx.orchestrator.audit.AuditLog;
import dev.arcx.orchestrator.audit.Caller;
import dev.arcx.orchestrator.workspace.WorkspaceActivity.Deadlines;
import dev.arcx.orchestrator.workspace.WorkspaceRepository.RunningWorkspace;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Stops running workspaces left idle longer than their plan's idle timeout, or running longer than its maximum
 * lifetime, through the normal stop path (stopping, then stopped, with the lifecycle's events).
 */
@ApplicationScoped
public class WorkspaceIdleStopper {
    private static final Logger LOG = Logger.getLogger(WorkspaceIdleStopper.class);

    private final WorkspaceRepository repository;
    private final WorkspaceActivity activity;
    private final WorkspaceStates states;
    private final WorkspaceLifecycle lifecycle;
    private final AuditLog audit;
    private final Blocking blocking;
    private final AtomicBoolean checking = new AtomicBoolean();

    WorkspaceIdleStopper(WorkspaceRepository repository, WorkspaceActivity activity, WorkspaceStates states,
            WorkspaceLifecycle lifecycle, AuditLog audit, Blocking blocking) {
        this.repository = repository;
        this.activity = activity;
        this.states = states;
        this.lifecycle = lifecycle;
        this.audit = audit;
        this.blocking = blocking;
    }

    @Scheduled(every = "${arcx.workspaces.idle-check-interval:1m}", delayed = "${arcx.workspaces.idle-check-interval:1m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void periodic() {
        blocking.submit(this::check);
    }

    /** One pass over the running workspaces; passes never overlap. */
    public void check() {
        if (!checking.compareAndSet(false, true)) {
            return;
        }
        try {
            OffsetDateTime now = OffsetDateTime.now();
            for (RunningWorkspace running : repository.listRunning().await().indefinitely()) {
                Workspace w = running.workspace();
                activity.deadlines(w, running.planId()).ifPresent(due -> stopIfDue(w, running.planId(), due, now));
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "idle check failed; the next one will retry");
        } finally {
            checking.set(false);
        }
    }

    private void stopIfDue(Workspace w, String planId, Deadlines due, OffsetDateTime now) {
        if (!now.isBefore(due.lifetimeEndsAt())) {
            stop(w, "lifetime-stop", "stopped after running for " + describe(activity.maxLifetime(planId))
                    + ", the plan's maximum lifetime", due);
        } else if (!now.isBefore(due.idleStopsAt())) {
            stop(w, "idle-stop", "stopped after " + describe(activity.idleTimeout(planId)) + " without activity", due);
        }
    }

    private void stop(Workspace w, String action, String reason, Deadlines due) {
        // Only from running: a user's stop, restart or delete in the meantime wins.
        Workspace moved = states.move(w.id(), List.of(RUNNING), STOPPING, reason, (tx, stopping) -> audit.record(tx,
                Caller.SYSTEM, WorkspaceService.AUDIT_TARGET + "." + action, WorkspaceService.AUDIT_TARGET, w.id(),
                Map.of("name", w.name(), "ownerId", w.ownerId().toString(), "reason", reason,
                        "lastActiveAt", due.lastActiveAt().toString(), "startedAt", w.startedAt().toString())))
                .await().indefinitely();
        if (moved == null) {
            return;
        }
        LOG.infof("workspace %s %s", w.id(), reason);
        lifecycle.drive(w.id());
    }

    /** "30 minutes", "12 hours", "3 seconds": the configured limit as a person would say it. */
    static String describe(Duration limit) {
        long seconds = limit.toSeconds();
        if (seconds % 3600 == 0 && seconds > 0) {
            return plural(seconds / 3600, "hour");
        }
        if (seconds % 60 == 0 && seconds > 0) {
            return plural(seconds / 60, "minute");
        }
        return plural(seconds, "second");
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }
}
