package dev.arcx.orchestrator.workspace;

import dev.arcx.common.events.WorkspaceEvent;
import dev.arcx.common.events.WorkspaceEventType;
import dev.arcx.common.workspace.WorkspaceStatus;
import dev.arcx.orchestrator.audit.AuditLog;
import dev.arcx.orchestrator.audit.Caller;
import dev.arcx.orchestrator.audit.Tombstones;
import dev.arcx.orchestrator.events.EventPublisher;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;

/** Status changes and the events that announce them, always together. */
@ApplicationScoped
public class WorkspaceStates {
    private static final Map<WorkspaceStatus, WorkspaceEventType> EVENT_OF = Map.of(
            WorkspaceStatus.CREATING, WorkspaceEventType.CREATED,
            WorkspaceStatus.BUILDING_IMAGE, WorkspaceEventType.BUILDING_IMAGE,
            WorkspaceStatus.STARTING, WorkspaceEventType.STARTING,
            WorkspaceStatus.RUNNING, WorkspaceEventType.RUNNING,
            WorkspaceStatus.STOPPING, WorkspaceEventType.STOPPING,
            WorkspaceStatus.STOPPED, WorkspaceEventType.STOPPED,
            WorkspaceStatus.FAILED, WorkspaceEventType.FAILED);

    private final WorkspaceRepository repository;
    private final EventPublisher events;
    private final AuditLog audit;

    WorkspaceStates(WorkspaceRepository repository, EventPublisher events, AuditLog audit) {
        this.repository = repository;
        this.events = events;
        this.audit = audit;
    }

    /**
     * The lifecycle's own move (audited as the system's): moves the workspace if it is in one of {@code from}; null
     * (and no event) when it was not. Moves made inside a caller's transaction use the repository and
     * {@link #announce} after commit instead, so no event ever announces a change that rolled back.
     */
    public Uni<Workspace> move(UUID id, Collection<WorkspaceStatus> from, WorkspaceStatus to, String reason) {
        return move(id, from, to, reason, (tx, moved) -> Uni.createFrom().voidItem());
    }

    /** {@link #move}, with {@code alsoRecord}'s audit entry about the move in the same transaction. */
    public Uni<Workspace> move(UUID id, Collection<WorkspaceStatus> from, WorkspaceStatus to, String reason,
            BiFunction<SqlClient, Workspace, Uni<Void>> alsoRecord) {
        return audit.inTransaction(tx -> repository.transition(tx, id, from, to, reason)
                .call(moved -> moved == null ? Uni.createFrom().voidItem()
                        : auditSystem(tx, moved).chain(() -> alsoRecord.apply(tx, moved))))
                .invoke(this::announceIfMoved);
    }

    /** Moves the workspace to building-image, waiting for {@code image}; null (and no event) when it did not move. */
    public Uni<Workspace> awaitImage(UUID id, Collection<WorkspaceStatus> from, String image, String reason) {
        return audit.inTransaction(tx -> repository.awaitImage(tx, id, from, image, reason)
                .call(moved -> moved == null ? Uni.createFrom().voidItem() : auditSystem(tx, moved)))
                .invoke(this::announceIfMoved);
    }

    /** Publishes the event that matches the workspace's current status. */
    public void announce(Workspace workspace) {
        WorkspaceEventType type = EVENT_OF.get(workspace.status());
        if (type != null) {
            events.publish(event(type, workspace));
        }
    }

    /** The lifecycle finished a deletion: the row goes with its entry, and the event follows the commit. */
    public Uni<Void> removeRow(Workspace workspace) {
        return audit.inTransaction(tx -> repository.delete(tx, workspace.id())
                .chain(() -> auditSystem(tx, WorkspaceEventType.DELETED, workspace)))
                .invoke(() -> events.publish(event(WorkspaceEventType.DELETED, workspace)));
    }

    private void announceIfMoved(Workspace moved) {
        if (moved != null) {
            announce(moved);
        }
    }

    private Uni<Void> auditSystem(SqlClient tx, Workspace moved) {
        WorkspaceEventType type = EVENT_OF.get(moved.status());
        return type == null ? Uni.createFrom().voidItem() : auditSystem(tx, type, moved);
    }

    /** Audit action {@code workspace.<event>}, e.g. {@code workspace.failed}, with the reason when there is one. */
    private Uni<Void> auditSystem(SqlClient tx, WorkspaceEventType type, Workspace w) {
        Map<String, Object> details = new HashMap<>();
        details.put("name", w.name());
        details.put("ownerId", Tombstones.userRef(w.ownerId(), w.ownerLogin()));
        if (w.statusReason() != null) {
            details.put("reason", w.statusReason());
        }
        return audit.record(tx, Caller.SYSTEM, "workspace." + type.token(), WorkspaceService.AUDIT_TARGET, w.id(),
                details);
    }

    private static WorkspaceEvent event(WorkspaceEventType type, Workspace w) {
        return WorkspaceEvent.of(type, w.id(), w.ownerId(), w.teamId(), w.name(), w.status(), w.statusReason());
    }
}
