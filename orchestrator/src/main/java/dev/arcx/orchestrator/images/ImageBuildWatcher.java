package dev.arcx.orchestrator.images;

import dev.arcx.common.events.EventCodec;
import dev.arcx.common.images.ImageBuildEvent;
import dev.arcx.common.events.Subjects;
import dev.arcx.common.support.Blocking;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Follows the image-builder's events: keeps each image's latest progress for the workspace views, and announces a
 * finished build ({@link ImageBuildFinished}) to whoever waits for the image: the workspace lifecycle resumes (built)
 * or fails (failed) the workspaces waiting for it. Events only speed things up: the reconciler re-asks for waiting
 * workspaces' images, so a missed event delays, never strands, a workspace.
 */
@ApplicationScoped
public class ImageBuildWatcher {
    private static final Logger LOG = Logger.getLogger(ImageBuildWatcher.class);

    private final Connection nats;
    private final Subjects subjects;
    private final Event<ImageBuildFinished> finished;
    private final Blocking blocking;
    private final Map<String, ImageBuildEvent> progress = new ConcurrentHashMap<>();
    private Dispatcher dispatcher;

    ImageBuildWatcher(Connection nats, Subjects subjects, Event<ImageBuildFinished> finished, Blocking blocking) {
        this.nats = nats;
        this.subjects = subjects;
        this.finished = finished;
        this.blocking = blocking;
    }

    void onStart(@Observes StartupEvent start) {
        dispatcher = nats.createDispatcher(this::onEvent);
        dispatcher.subscribe(subjects.images().allEvents());
    }

    void onStop(@Observes ShutdownEvent stop) {
        if (dispatcher != null) {
            nats.closeDispatcher(dispatcher);
        }
    }

    /** The latest progress of the build making {@code image}, if one is under way. */
    public Optional<ImageBuildEvent> progress(String image) {
        return Optional.ofNullable(progress.get(image));
    }

    private void onEvent(Message message) {
        ImageBuildEvent event;
        try {
            event = EventCodec.decode(message.getData(), ImageBuildEvent.class);
        } catch (RuntimeException e) {
            LOG.debugf("ignoring an unreadable image event on %s: %s", message.getSubject(), e.getMessage());
            return;
        }
        switch (event.kind()) {
            case PROGRESS -> progress.put(event.image(), event);
            case BUILT -> {
                progress.remove(event.image());
                announce(ImageBuildFinished.built(event.image()));
            }
            case FAILED -> {
                progress.remove(event.image());
                announce(ImageBuildFinished.failed(event.image(), event.error()));
            }
        }
    }

    /** Off the dispatcher's thread: observers block (database, engine). */
    private void announce(ImageBuildFinished event) {
        blocking.submit(() -> {
            try {
                finished.fire(event);
            } catch (RuntimeException e) {
                LOG.warnf(e, "announcing the end of the build of %s failed", event.image());
            }
        });
    }
}
