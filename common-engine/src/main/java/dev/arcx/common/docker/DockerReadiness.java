package dev.arcx.common.docker;

import com.github.dockerjava.api.DockerClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the Docker engine answers a ping, in every service that has an engine client: without the engine
 * no workspace, sandbox or image can be made.
 */
@Readiness
@ApplicationScoped
public class DockerReadiness implements HealthCheck {
    private final Instance<DockerClient> docker;

    DockerReadiness(Instance<DockerClient> docker) {
        this.docker = docker;
    }

    @Override
    public HealthCheckResponse call() {
        if (!docker.isResolvable()) {
            return HealthCheckResponse.named("docker").up().withData("used", false).build();
        }
        try {
            docker.get().pingCmd().exec();
            return HealthCheckResponse.up("docker");
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("docker").down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
