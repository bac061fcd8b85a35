package dev.arcx.orchestrator.docker;

import com.github.dockerjava.api.DockerClient;
import dev.arcx.common.docker.DockerClients;
import dev.arcx.orchestrator.config.OrchestratorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.io.IOException;

/** The one Docker Engine client of the service (see {@link DockerClients}). */
@ApplicationScoped
public class DockerClientProducer {

    @Produces
    @ApplicationScoped
    DockerClient dockerClient(OrchestratorConfig config) {
        return DockerClients.create(config.docker());
    }

    void close(@Disposes DockerClient client) throws IOException {
        client.close();
    }
}
