package dev.arcx.imagebuilder.infra;

import com.github.dockerjava.api.DockerClient;
import dev.arcx.common.auth.RevokedSessions;
import dev.arcx.common.docker.DockerClients;
import dev.arcx.common.events.Subjects;
import dev.arcx.common.nats.NatsConnections;
import dev.arcx.imagebuilder.config.ImageBuilderConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.Connection;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;

/**
 * The service's engine client, NATS connection, its installation's names on it and view of revoked sessions, made the
 * way every arcx service makes them.
 */
@ApplicationScoped
public class InfrastructureProducers {

    @Produces
    @ApplicationScoped
    DockerClient dockerClient(ImageBuilderConfig config) {
        return DockerClients.create(config.docker());
    }

    void closeDocker(@Disposes DockerClient client) throws IOException {
        client.close();
    }

    /**
     * Made at start (the NATS subscribers need it then), so an installation name NATS cannot carry stops the service
     * with the reason.
     */
    @Produces
    @Singleton
    Subjects subjects(ImageBuilderConfig config) {
        return new Subjects(config.installation());
    }

    @Produces
    @ApplicationScoped
    Connection nats(ImageBuilderConfig config, Subjects subjects, MeterRegistry metrics)
            throws IOException, InterruptedException {
        return NatsConnections.open(config.nats(), subjects, "arcx-image-builder", metrics);
    }

    void closeNats(@Disposes Connection connection) throws InterruptedException {
        connection.close();
    }

    /** Followed from startup, so the first request already meets every revocation the stream holds. */
    @Produces
    @Singleton
    @Startup
    RevokedSessions revokedSessions(Connection nats, Subjects subjects) {
        return RevokedSessions.follow(nats, subjects);
    }

    void stopFollowing(@Disposes RevokedSessions revoked) {
        revoked.close();
    }
}
