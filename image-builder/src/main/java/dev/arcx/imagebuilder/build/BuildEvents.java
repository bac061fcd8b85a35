package dev.arcx.imagebuilder.build;

import dev.arcx.common.events.EventCodec;
import dev.arcx.common.images.ImageBuildEvent;
import dev.arcx.common.images.ImageSubjects;
import io.nats.client.Connection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.jboss.logging.Logger;

/** Publishes a build's progress and outcome on {@code arcx.image.<repository>.<kind>}. */
@ApplicationScoped
public class BuildEvents {
    private static final Logger LOG = Logger.getLogger(BuildEvents.class);

    private final Connection nats;

    BuildEvents(Connection nats) {
        this.nats = nats;
    }

    void publish(Build build, ImageBuildEvent.Kind kind) {
        Build.BuildView view = build.view();
        String error = kind == ImageBuildEvent.Kind.FAILED ? view.error() : null;
        ImageBuildEvent event = new ImageBuildEvent(ImageBuildEvent.CURRENT_VERSION, kind, build.image(),
                build.id().toString(), view.step(), view.steps(), view.stepName(), error, Instant.now());
        try {
            nats.publish(ImageSubjects.event(build.image(), kind), EventCodec.encode(event));
        } catch (RuntimeException e) {
            // Events inform; the build's record (GET /api/images/builds/{id}) stays the truth.
            LOG.warnf("cannot publish %s of %s: %s", kind, build.image(), e.getMessage());
        }
    }
}
