package dev.arcx.orchestrator.workspace;

import dev.arcx.common.events.WorkspaceEvent;
import dev.arcx.common.events.WorkspaceEventType;
import dev.arcx.common.workspace.WorkspaceStatus;
import dev.arcx.orchestrator.events.WorkspaceEventPublisher;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;

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
    private final WorkspaceEventPublisher events;

    WorkspaceStates(WorkspaceRepository repository, WorkspaceEventPublisher events) {
        this.repository = repository;
        this.events = events;
    }

    /**
     * Moves the workspace if it is in one of {@code from}; null (and no event) when it was not. Moves made inside a
     * caller's transaction use the repository and {@link #announce} after commit instead, so no event ever
     * announces a change that rolled back.
     */
    public Uni<Workspace> move(UUID id, Collection<WorkspaceStatus> from, WorkspaceStatus to, String reason) {
        return repository.transition(id, from, to, reason).invoke(moved -> {
            if (moved != null) {
                announce(moved);
            }
        });
    }

    /** Moves the workspace to building-image, waiting for {@code image}; null (and no event) when it did not move. */
    public Uni<Workspace> awaitImage(UUID id, Collection<WorkspaceStatus> from, String image, String reason) {
        return repository.awaitImage(id, from, image, reason).invoke(moved -> {
            if (moved != null) {
                announce(moved);
            }
        });
    }

    /** Publishes the event that matches the workspace's current status. */
    public void announce(Workspace workspace) {
        WorkspaceEventType type = EVENT_OF.get(workspace.status());
        if (type != null) {
            events.publish(event(type, workspace));
        }
    }

    public void announceDeleted(Workspace workspace) {
        events.publish(event(WorkspaceEventType.DELETED, workspace));
    }

    private static WorkspaceEvent event(WorkspaceEventType type, Workspace w) {
        return WorkspaceEvent.of(type, w.id(), w.ownerId(), w.name(), w.status(), w.statusReason());
    }
}
