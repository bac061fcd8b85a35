package dev.arcx.orchestrator.events;

import dev.arcx.common.events.Subjects;
import dev.arcx.orchestrator.config.OrchestratorConfig;
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
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.io.IOException;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The service's one NATS connection (jnats; see the README for why not the messaging extension). It reconnects
 * forever, and (re)declares the {@code ARCX_EVENTS} stream on every (re)connection, so a NATS that was down at start
 * or lost its state is set up as soon as it is back.
 */
@ApplicationScoped
public class NatsConnectionProducer {
    private static final Logger LOG = Logger.getLogger(NatsConnectionProducer.class);

    @Produces
    @ApplicationScoped
    Connection connection(OrchestratorConfig config, MeterRegistry metrics) throws IOException, InterruptedException {
        ConnectionListener listener = (connection, event) -> {
            metrics.counter("arcx_nats_connection_events_total", "event", event.name().toLowerCase()).increment();
            LOG.infof("NATS connection: %s", event);
            if (event == ConnectionListener.Events.CONNECTED || event == ConnectionListener.Events.RECONNECTED
                    || event == ConnectionListener.Events.RESUBSCRIBED) {
                Thread.ofVirtual().start(() -> ensureStream(connection, config));
            }
        };
        Options options = new Options.Builder()
                .server(config.nats().url())
                .connectionName("arcx-orchestrator")
                .connectionTimeout(config.nats().connectTimeout())
                .maxReconnects(-1)
                .connectionListener(listener)
                .build();
        // Starts even while NATS is down: readiness reports it, and the connection comes up when NATS does.
        return Nats.connectReconnectOnConnect(options);
    }

    void close(@Disposes Connection connection) throws InterruptedException {
        connection.close();
    }

    static void ensureStream(Connection connection, OrchestratorConfig config) {
        try {
            JetStreamManagement jsm = connection.jetStreamManagement();
            StreamConfiguration wanted = StreamConfiguration.builder()
                    .name(Subjects.EVENTS_STREAM)
                    .subjects(List.of(Subjects.ALL_EVENTS))
                    .storageType(StorageType.File)
                    .maxAge(config.nats().eventRetention())
                    .build();
            StreamInfo existing = null;
            try {
                existing = jsm.getStreamInfo(Subjects.EVENTS_STREAM);
            } catch (JetStreamApiException missing) {
                // Not there yet.
            }
            if (existing == null) {
                jsm.addStream(wanted);
            } else if (!existing.getConfiguration().getSubjects().containsAll(wanted.getSubjects())) {
                jsm.updateStream(wanted);
            }
        } catch (IOException | JetStreamApiException e) {
            LOG.warnf("cannot declare stream %s yet: %s", Subjects.EVENTS_STREAM, e.getMessage());
        }
    }
}
