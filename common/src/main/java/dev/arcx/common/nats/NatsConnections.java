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
                Thread.ofVirtual().start(() -> ensureStream(connection, subjects, eventRetention));
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
    public static void ensureStream(Connection connection, Subjects subjects, Duration eventRetention) {
        ensure(connection, subjects.eventsStream(), subjects.eventSubjects(), eventRetention);
        ensure(connection, subjects.revocationsStream(), List.of(subjects.sessionRevoked()),
                Subjects.REVOCATION_RETENTION);
    }

    private static void ensure(Connection connection, String stream, List<String> subjects, Duration retention) {
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
        } catch (IOException | JetStreamApiException e) {
            LOG.warnf("cannot declare stream %s yet: %s", stream, e.getMessage());
        }
    }
}
