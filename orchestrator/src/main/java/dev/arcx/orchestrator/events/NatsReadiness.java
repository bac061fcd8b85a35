package dev.arcx.orchestrator.events;

import io.nats.client.Connection;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while connected to NATS: lifecycle events would otherwise pile up unsent. */
@Readiness
@ApplicationScoped
public class NatsReadiness implements HealthCheck {
    private final Connection connection;

    NatsReadiness(Connection connection) {
        this.connection = connection;
    }

    @Override
    public HealthCheckResponse call() {
        Connection.Status status = connection.getStatus();
        return HealthCheckResponse.named("nats").status(status == Connection.Status.CONNECTED)
                .withData("status", status.name()).build();
    }
}
