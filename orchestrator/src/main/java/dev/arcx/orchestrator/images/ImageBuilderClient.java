package dev.arcx.orchestrator.images;

import dev.arcx.common.events.EventCodec;
import dev.arcx.common.events.Subjects;
import dev.arcx.common.images.ImageEnsureReply;
import dev.arcx.common.images.ImageSelection;
import dev.arcx.orchestrator.config.OrchestratorConfig;
import io.nats.client.Connection;
import io.nats.client.Message;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/** Asks the image-builder for a workspace's image over NATS request/reply. Blocking: call off the event loop. */
@ApplicationScoped
public class ImageBuilderClient {
    private static final Logger LOG = Logger.getLogger(ImageBuilderClient.class);

    private final Connection nats;
    private final Subjects subjects;
    private final OrchestratorConfig config;

    ImageBuilderClient(Connection nats, Subjects subjects, OrchestratorConfig config) {
        this.nats = nats;
        this.subjects = subjects;
        this.config = config;
    }

    /** The image-builder's answer; empty when none is running or it did not answer in time. */
    public Optional<ImageEnsureReply> ensure(ImageSelection selection) {
        try {
            Message reply = nats.requestWithTimeout(subjects.images().ensure(), EventCodec.encode(selection),
                    config.images().ensureTimeout()).get(config.images().ensureTimeout().toMillis() + 500,
                    TimeUnit.MILLISECONDS);
            return Optional.of(EventCodec.decode(reply.getData(), ImageEnsureReply.class));
        } catch (CancellationException | ExecutionException | TimeoutException e) {
            // "No responders" arrives as a cancellation: no image-builder runs.
            LOG.debugf("no answer from the image-builder for %s: %s", selection, e);
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (RuntimeException e) {
            LOG.warnf("asking the image-builder for %s failed: %s", selection, e.getMessage());
            return Optional.empty();
        }
    }
}
