package dev.arcx.common.nats;

import dev.arcx.common.config.NatsSettings;
import dev.arcx.common.events.Subjects;
import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * How every service connects to NATS (jnats; see orchestrator/README.md for why not the messaging extension): it
 * reconnects forever, and (re)declares the installation's events and revocations streams ({@code ARCX_EVENTS} and
 * {@code ARCX_REVOCATIONS} for the installation {@code arcx}) on every (re)connection, so a NATS that was down at
 * start or lost its state is set up as soon as it is back.
 */
public final class NatsConnections {
    /** How long one (re)connection keeps trying to declare the streams. */
    private static final Duration ENSURE_FOR = Duration.ofMinutes(5);
    private static final Logger LOG = Logger.getLogger(NatsConnections.class);

    private NatsConnections() {
    }

    /**
     * Connects as {@code service} of the installation of {@code subjects}; starts even while NATS is down (readiness
     * reports it).
     */
    public static Connection open(NatsSettings settings, Subjects subjects, String service, MeterRegistry metrics)
            throws IOException, InterruptedException {
        Duration eventRetention = settings.eventRetention();
        ConnectionListener listener = (connection, event) -> {
            metrics.counter("arcx_nats_connection_events_total", "event", event.name().toLowerCase()).increment();
            LOG.infof("NATS connection: %s", event);
            if (event == ConnectionListener.Events.CONNECTED || event == ConnectionListener.Events.RECONNECTED
                    || event == ConnectionListener.Events.RESUBSCRIBED) {
                Thread.ofVirtual().start(() -> ensureStreamsWhileConnected(connection, subjects, eventRetention));
            }
        };
        Options options = new Options.Builder()
                .server(settings.url())
                .connectionName(service)
                .connectionTimeout(settings.connectTimeout())
                .maxReconnects(-1)
                .connectionListener(listener)
                .build();
        return Nats.connectReconnectOnConnect(options);
    }

    /**
     * Declares the installation's events stream and revocations stream, or sets their subjects when an older version
     * declared others.
     */
    public static boolean ensureStream(Connection connection, Subjects subjects, Duration eventRetention) {
        boolean events = ensure(connection, subjects.eventsStream(), subjects.eventSubjects(), eventRetention);
        boolean revocations = ensure(connection, subjects.revocationsStream(), List.of(subjects.sessionRevoked()),
                Subjects.REVOCATION_RETENTION);
        return events && revocations;
    }

    /**
     * {@link #ensureStream} until it succeeds, the connection closes or {@link #ENSURE_FOR} passes (a later reconnect
     * starts over): right after a restart JetStream may answer before its meta layer is ready, and a server that lost
     * its store must get its streams back without a restart of ours.
     */
    static void ensureStreamsWhileConnected(Connection connection, Subjects subjects, Duration eventRetention) {
        long pauseMillis = 250;
        long until = System.nanoTime() + ENSURE_FOR.toNanos();
        int unansweredWhileConnected = 0;
        while (!(connection.getStatus() == Connection.Status.CONNECTED
                && ensureStream(connection, subjects, eventRetention))) {
            if (connection.getStatus() == Connection.Status.CLOSED || System.nanoTime() > until) {
                return;
            }
            // A connection that reports itself connected yet gets no answer at all, attempt after attempt, is
            // rebuilt: after the server went away with a request in flight, a reconnected jnats connection now and
            // then stayed like that (the streams were never declared again on a server that had lost them). The
            // reconnection starts a new round of this loop.
            if (connection.getStatus() == Connection.Status.CONNECTED && ++unansweredWhileConnected >= 3) {
                try {
                    LOG.warn("NATS connection answers nothing while connected; reconnecting");
                    connection.forceReconnect();
                } catch (IOException e) {
                    LOG.warnf("cannot force a NATS reconnection: %s", e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            pauseMillis = Math.min(pauseMillis * 2, 5_000);
        }
    }

    private static boolean ensure(Connection connection, String stream, List<String> subjects, Duration retention) {
        try {
            JetStreamManagement jsm = connection.jetStreamManagement();
            StreamConfiguration wanted = StreamConfiguration.builder()
                    .name(stream)
                    .subjects(subjects)
                    .storageType(StorageType.File)
                    .maxAge(retention)
                    .build();
            StreamInfo existing = null;
            try {
                existing = jsm.getStreamInfo(stream);
            } catch (JetStreamApiException missing) {
                // Not there yet.
            }
            if (existing == null) {
                jsm.addStream(wanted);
            } else if (!Set.copyOf(existing.getConfiguration().getSubjects()).equals(Set.copyOf(wanted.getSubjects()))) {
                jsm.updateStream(wanted);
            }
            return true;
        } catch (IOException | JetStreamApiException e) {
            LOG.warnf("cannot declare stream %s yet: %s", stream, e.getMessage());
            return false;
        }
    }
}
