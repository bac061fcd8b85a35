package dev.arcx.orchestrator.dashboard;

import dev.arcx.common.access.AccessAnswer;
import dev.arcx.common.access.AccessClient;
import dev.arcx.common.events.EventCodec;
import dev.arcx.common.events.Subjects;
import dev.arcx.common.events.WorkspaceEvent;
import dev.arcx.common.events.WorkspaceEventType;
import dev.arcx.orchestrator.workspace.WorkspaceService;
import dev.arcx.orchestrator.workspace.WorkspaceView;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The workspace lifecycle events ({@code arcx.workspace.>}) for the dashboard's live pages. One NATS subscription
 * for the process, fanned out to every open stream; each stream passes only events of workspaces its viewer may use,
 * except the deletion of one it already showed (the row is gone by then, so the question has no answer any more).
 * Who may use a workspace is decided from the event and kept answers, not a query per event and stream: someone
 * else's personal workspace (the event names owner and team) is refused without asking; otherwise the
 * {@link AccessClient} answers, once per viewer and workspace until access narrows (then at once, so a member
 * removed from a team stops hearing of its workspaces) or the answer's TTL passes. Only when no answer can be had
 * over NATS does the database decide, as {@link WorkspaceService#usableBy}.
 */
@ApplicationScoped
public class WorkspaceEventFeed {
    private static final Logger LOG = Logger.getLogger(WorkspaceEventFeed.class);

    private final Connection nats;
    private final Subjects subjects;
    private final WorkspaceService workspaces;
    private final AccessClient access;
    private final BroadcastProcessor<WorkspaceEvent> events = BroadcastProcessor.create();
    private Dispatcher dispatcher;

    WorkspaceEventFeed(Connection nats, Subjects subjects, WorkspaceService workspaces, AccessClient access) {
        this.nats = nats;
        this.subjects = subjects;
        this.workspaces = workspaces;
        this.access = access;
    }

    void onStart(@Observes StartupEvent start) {
        dispatcher = nats.createDispatcher(this::onMessage);
        dispatcher.subscribe(subjects.allWorkspaceEvents());
    }

    void onStop(@Observes ShutdownEvent stop) {
        if (dispatcher != null) {
            nats.closeDispatcher(dispatcher);
        }
        events.onComplete();
    }

    private void onMessage(Message message) {
        try {
            events.onNext(EventCodec.decode(message.getData(), WorkspaceEvent.class));
        } catch (RuntimeException e) {
            LOG.warnf(e, "ignoring an unreadable workspace event on %s", message.getSubject());
        }
    }

    /** The status changes of the viewer's workspaces, from now on. */
    public Multi<StatusChange> visibleTo(UUID viewer) {
        Set<UUID> shown = ConcurrentHashMap.newKeySet();
        // A burst (ten clones starting) must not outrun a slow stream: it queues rather than failing it.
        Multi<WorkspaceEvent> live = events.onOverflow().buffer(256);
        return workspaces.list(viewer).onItem().transformToMulti(current -> {
            current.stream().map(WorkspaceView::id).forEach(shown::add);
            return live;
        }).onItem().transformToUniAndConcatenate(event -> admitted(viewer, shown, event))
                .filter(Optional::isPresent).map(change -> change.get());
    }

    private Uni<Optional<StatusChange>> admitted(UUID viewer, Set<UUID> shown, WorkspaceEvent event) {
        if (event.type() == WorkspaceEventType.DELETED) {
            return Uni.createFrom().item(shown.remove(event.workspaceId()) ? Optional.of(StatusChange.of(event))
                    : Optional.empty());
        }
        if (event.teamId() == null && !viewer.equals(event.ownerId())) {
            return Uni.createFrom().item(Optional.empty());
        }
        return Uni.createFrom().completionStage(() -> access.check(viewer, event.workspaceId()))
                .map(AccessAnswer::allowed)
                .onFailure(AccessClient.Unavailable.class).recoverWithUni(unavailable -> {
                    LOG.debugf("no access answer for the live feed (%s); asking the database",
                            unavailable.getMessage());
                    return workspaces.usableBy(viewer, event.workspaceId());
                }).map(usable -> {
                    if (!usable) {
                        // No longer theirs (removed from its team): nor is its deletion news to them.
                        shown.remove(event.workspaceId());
                        return Optional.empty();
                    }
                    shown.add(event.workspaceId());
                    return Optional.of(StatusChange.of(event));
                });
    }
}
