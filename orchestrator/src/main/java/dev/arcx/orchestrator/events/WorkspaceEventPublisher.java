package dev.arcx.orchestrator.events;

import dev.arcx.common.events.EventCodec;
import dev.arcx.common.events.WorkspaceEvent;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * Publishes workspace lifecycle events to JetStream, each on its own subject {@code arcx.workspace.<id>.<event>}.
 * The event id doubles as the JetStream message id, so a retried publish is de-duplicated by the server.
 */
@ApplicationScoped
public class WorkspaceEventPublisher {
    private static final Logger LOG = Logger.getLogger(WorkspaceEventPublisher.class);

    private final JetStream jetStream;

    WorkspaceEventPublisher(Connection connection) throws IOException {
        this.jetStream = connection.jetStream();
    }

    /** Sends without waiting; the returned stage completes when JetStream stored the event. */
    public CompletableFuture<PublishAck> publish(WorkspaceEvent event) {
        PublishOptions options = PublishOptions.builder().messageId(event.eventId().toString()).build();
        return jetStream.publishAsync(event.subject(), EventCodec.encode(event), options)
                .whenComplete((ack, failure) -> {
                    if (failure != null) {
                        LOG.warnf("event %s on %s was not stored: %s", event.eventId(), event.subject(),
                                failure.getMessage());
                    }
                });
    }
}
