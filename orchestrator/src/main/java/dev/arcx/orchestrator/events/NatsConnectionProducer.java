package dev.arcx.orchestrator.events;

import dev.arcx.common.nats.NatsConnections;
import dev.arcx.orchestrator.config.OrchestratorConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.Connection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.io.IOException;

/** The service's one NATS connection (see {@link NatsConnections}). */
@ApplicationScoped
public class NatsConnectionProducer {

    @Produces
    @ApplicationScoped
    Connection connection(OrchestratorConfig config, MeterRegistry metrics) throws IOException, InterruptedException {
        return NatsConnections.open(config.nats(), "arcx-orchestrator", metrics);
    }

    void close(@Disposes Connection connection) throws InterruptedException {
        connection.close();
    }
}
