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
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Publishes the orchestrator's events to JetStream: workspace lifecycle events, each on its own subject
 * {@code <installation>.workspace.<id>.<event>}, and session revocations. The event id doubles as the JetStream
 * message id, so a retried publish is de-duplicated by the server.
 */
@ApplicationScoped
public class EventPublisher {
    private static final Logger LOG = Logger.getLogger(EventPublisher.class);

    /**
     * How long an event is offered to JetStream before it is given up: a NATS restart takes seconds. Repeats within
     * the stream's duplicate window (2 minutes) are de-duplicated by message id; a later one could store it twice.
     */
    private static final Duration RETRY_FOR = Duration.ofMinutes(2);
    /** How long one attempt waits for JetStream's acknowledgement. */
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(500);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(15);

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
        return attempt(subject, eventId, EventCodec.encode(event), options, 1, System.nanoTime() + RETRY_FOR.toNanos());
    }

    /**
     * One publish; until JetStream acknowledges it, again after a pause. A publish made while NATS restarts may be
     * cancelled unsent (the connection's buffer does not keep every one of them), and an announced status change
     * must not go missing from the stream; the same message id makes a repeat of a stored event a no-op.
     */
    private CompletableFuture<PublishAck> attempt(String subject, UUID eventId, byte[] data, PublishOptions options,
            int attempt, long giveUpAt) {
        CompletableFuture<PublishAck> sent;
        try {
            // Bounded by our own clock: right after NATS restarts, JetStream may drop a publish it is not ready
            // for without any answer, and the client may keep such a request pending for long.
            sent = jetStream.publishAsync(subject, data, options).orTimeout(ACK_TIMEOUT.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (RuntimeException notSent) {
            sent = CompletableFuture.failedFuture(notSent);
        }
        return sent.handle((ack, failure) -> {
            if (failure == null) {
                return CompletableFuture.completedFuture(ack);
            }
            long pauseMillis = Math.min(MAX_PAUSE.toMillis(), FIRST_PAUSE.toMillis() << Math.min(attempt - 1, 10));
            if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pauseMillis) > giveUpAt) {
                LOG.warnf("event %s on %s was not stored after %d attempts: %s", eventId, subject, attempt,
                        failure.getMessage());
                return CompletableFuture.<PublishAck>failedFuture(failure);
            }
            LOG.debugf("event %s on %s not stored yet (%s); again in %d ms", eventId, subject, failure.getMessage(),
                    pauseMillis);
            return CompletableFuture.supplyAsync(() -> null,
                    CompletableFuture.delayedExecutor(pauseMillis, TimeUnit.MILLISECONDS))
                    .thenCompose(later -> attempt(subject, eventId, data, options, attempt + 1, giveUpAt));
        }).thenCompose(Function.identity());
    }
}
