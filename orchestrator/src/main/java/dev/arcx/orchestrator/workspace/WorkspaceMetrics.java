package dev.arcx.orchestrator.workspace;

import dev.arcx.common.workspace.WorkspaceStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** {@code arcx_workspaces{status=...}}: refreshed from the database, the source of truth, every few seconds. */
@ApplicationScoped
public class WorkspaceMetrics {
    private final WorkspaceRepository repository;
    private final Map<WorkspaceStatus, AtomicLong> counts = new EnumMap<>(WorkspaceStatus.class);

    WorkspaceMetrics(WorkspaceRepository repository, MeterRegistry metrics) {
        this.repository = repository;
        for (WorkspaceStatus status : WorkspaceStatus.values()) {
            AtomicLong count = new AtomicLong();
            counts.put(status, count);
            Gauge.builder("arcx_workspaces", count, AtomicLong::get).tag("status", status.wireName())
                    .description("Workspaces by status").register(metrics);
        }
    }

    @Scheduled(every = "5s")
    Uni<Void> refresh() {
        return repository.countByStatus().invoke(byStatus -> counts.forEach(
                (status, count) -> count.set(byStatus.getOrDefault(status, 0L)))).replaceWithVoid();
    }
}
