package dev.arcx.orchestrator.docker;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the Docker engine answers a ping: without it no workspace can be started or stopped. */
@Readiness
@ApplicationScoped
public class DockerReadiness implements HealthCheck {
    private final DockerEngine engine;

    DockerReadiness(DockerEngine engine) {
        this.engine = engine;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            engine.ping();
            return HealthCheckResponse.up("docker");
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("docker").down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
