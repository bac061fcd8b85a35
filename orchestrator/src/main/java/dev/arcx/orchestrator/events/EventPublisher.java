package dev.arcx.orchestrator.events;

import dev.arcx.common.events.EventCodec;
import dev.arcx.common.events.SessionRevocation;
import dev.arcx.common.events.Subjects;
import dev.arcx.common.events.WorkspaceEvent;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * Publishes the orchestrator's events to JetStream: workspace lifecycle events, each on its own subject
 * {@code <installation>.workspace.<id>.<event>}, and session revocations. The event id doubles as the JetStream
 * message id, so a retried publish is de-duplicated by the server.
 */
@ApplicationScoped
public class EventPublisher {
    private static final Logger LOG = Logger.getLogger(EventPublisher.class);

    private final JetStream jetStream;
    private final Subjects subjects;

    EventPublisher(Connection connection, Subjects subjects) throws IOException {
        this.jetStream = connection.jetStream();
        this.subjects = subjects;
    }

    /** Sends without waiting; the returned stage completes when JetStream stored the event. */
    public CompletableFuture<PublishAck> publish(WorkspaceEvent event) {
        return publish(subjects.workspace(event), event.eventId(), event);
    }

    /** Sends without waiting: the services that check session tokens by signature learn of it within moments. */
    public CompletableFuture<PublishAck> publish(SessionRevocation revocation) {
        return publish(subjects.sessionRevoked(), revocation.eventId(), revocation);
    }

    private CompletableFuture<PublishAck> publish(String subject, UUID eventId, Object event) {
        PublishOptions options = PublishOptions.builder().messageId(eventId.toString()).build();
        return jetStream.publishAsync(subject, EventCodec.encode(event), options)
                .whenComplete((ack, failure) -> {
                    if (failure != null) {
                        LOG.warnf("event %s on %s was not stored: %s", eventId, subject, failure.getMessage());
                    }
                });
    }
}
