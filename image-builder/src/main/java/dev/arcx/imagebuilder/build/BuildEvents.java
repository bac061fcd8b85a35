package dev.arcx.imagebuilder.build;

import dev.arcx.common.events.EventCodec;
import dev.arcx.common.events.Subjects;
import dev.arcx.common.images.ImageBuildEvent;
import io.nats.client.Connection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.jboss.logging.Logger;

/** Publishes a build's progress and outcome on {@code <installation>.image.<repository>.<kind>}. */
@ApplicationScoped
public class BuildEvents {
    private static final Logger LOG = Logger.getLogger(BuildEvents.class);

    private final Connection nats;
    private final Subjects subjects;

    BuildEvents(Connection nats, Subjects subjects) {
        this.nats = nats;
        this.subjects = subjects;
    }

    void publish(Build build, ImageBuildEvent.Kind kind) {
        Build.BuildView view = build.view();
        String error = kind == ImageBuildEvent.Kind.FAILED ? view.error() : null;
        ImageBuildEvent event = new ImageBuildEvent(ImageBuildEvent.CURRENT_VERSION, kind, build.image(),
                build.id().toString(), view.step(), view.steps(), view.stepName(), error, Instant.now());
        try {
            nats.publish(subjects.images().event(build.image(), kind), EventCodec.encode(event));
        } catch (RuntimeException e) {
            // Events inform; the build's record (GET /api/images/builds/{id}) stays the truth.
            LOG.warnf("cannot publish %s of %s: %s", kind, build.image(), e.getMessage());
        }
    }
}
