package dev.arcx.orchestrator.access;

import dev.arcx.common.access.AccessClient;
import dev.arcx.common.events.Subjects;
import dev.arcx.orchestrator.config.OrchestratorConfig;
import io.nats.client.Connection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The orchestrator's own {@link AccessClient}, on its one NATS connection, with {@code arcx.access.*}. */
@ApplicationScoped
public class AccessClientProducer {
    @Produces
    @Singleton
    AccessClient accessClient(Connection nats, Subjects subjects, OrchestratorConfig config) {
        OrchestratorConfig.Access access = config.access();
        return AccessClient.start(nats, subjects, new AccessClient.Settings(access.timeout(), access.allowedTtl(),
                access.deniedTtl(), access.maxEntries()));
    }

    void close(@Disposes AccessClient client) {
        client.close();
    }
}
