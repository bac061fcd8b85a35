package dev.arcx.common.health;

import io.nats.client.Connection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while connected to NATS: events would otherwise pile up unsent and requests go unanswered. */
@Readiness
@ApplicationScoped
public class NatsReadiness implements HealthCheck {
    private final Instance<Connection> connection;

    NatsReadiness(Instance<Connection> connection) {
        this.connection = connection;
    }

    @Override
    public HealthCheckResponse call() {
        if (!connection.isResolvable()) {
            return HealthCheckResponse.named("nats").up().withData("used", false).build();
        }
        Connection.Status status = connection.get().getStatus();
        return HealthCheckResponse.named("nats").status(status == Connection.Status.CONNECTED)
                .withData("status", status.name()).build();
    }
}
