package dev.arcx.common.nats;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arcx.common.config.NatsSettings;
import dev.arcx.common.events.Subjects;
import dev.arcx.testkit.infra.PrivateNats;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A NATS server of the test's own that comes back without its store (a new machine, a lost disk): a service's
 * connection declares its installation's streams again by itself, however long JetStream takes to be ready.
 */
class StreamsComeBackTest {
    @Test
    void aServerThatLostItsStoreGetsTheStreamsBack() throws Exception {
        Subjects subjects = new Subjects("streams-come-back");
        try (PrivateNats server = PrivateNats.start()) {
            NatsSettings settings = new NatsSettings() {
                @Override
                public String url() {
                    return server.url();
                }

                @Override
                public Duration connectTimeout() {
                    return Duration.ofSeconds(2);
                }

                @Override
                public Duration eventRetention() {
                    return Duration.ofMinutes(5);
                }
            };
            try (Connection nats = NatsConnections.open(settings, subjects, "streams-come-back",
                    new SimpleMeterRegistry())) {
                assertTrue(declaredWithin(nats, subjects, Duration.ofSeconds(20)), "streams declared at connect");
                assertTrue(server.killServer(), "the first server exited");
                server.wipeStore();
                server.startServer();
                assertTrue(declaredWithin(nats, subjects, Duration.ofSeconds(30)),
                        "streams declared again after the server came back without them");
            }
        }
    }

    private static boolean declaredWithin(Connection nats, Subjects subjects, Duration limit) throws Exception {
        long until = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < until) {
            try {
                var jsm = nats.jetStreamManagement();
                assertNotNull(jsm.getStreamInfo(subjects.eventsStream()));
                assertNotNull(jsm.getStreamInfo(subjects.revocationsStream()));
                return true;
            } catch (JetStreamApiException | IOException | IllegalStateException notYet) {
                Thread.sleep(200);
            }
        }
        return false;
    }
}
