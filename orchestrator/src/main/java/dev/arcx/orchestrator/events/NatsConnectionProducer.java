package dev.arcx.orchestrator.events;

import dev.arcx.common.events.Subjects;
import dev.arcx.common.nats.NatsConnections;
import dev.arcx.orchestrator.config.OrchestratorConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.Connection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;

/** The service's one NATS connection (see {@link NatsConnections}) and its installation's names on it. */
@ApplicationScoped
public class NatsConnectionProducer {

    /**
     * Made at start (the NATS subscribers need it then), so an installation name NATS cannot carry stops the service
     * with the reason.
     */
    @Produces
    @Singleton
    Subjects subjects(OrchestratorConfig config) {
        return new Subjects(config.installation());
    }

    @Produces
    @ApplicationScoped
    Connection connection(OrchestratorConfig config, Subjects subjects, MeterRegistry metrics)
            throws IOException, InterruptedException {
        return NatsConnections.open(config.nats(), subjects, "arcx-orchestrator", metrics);
    }

    void close(@Disposes Connection connection) throws InterruptedException {
        connection.close();
    }
}
