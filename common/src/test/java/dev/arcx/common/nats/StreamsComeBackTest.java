package dev.arcx.common.nats;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arcx.testkit.process.LocalProcesses;
import dev.arcx.common.config.NatsSettings;
import dev.arcx.common.events.Subjects;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A NATS server of the test's own that comes back without its store (a new machine, a lost disk): a service's
 * connection declares its installation's streams again by itself, however long JetStream takes to be ready.
 */
class StreamsComeBackTest {
    @Test
    void aServerThatLostItsStoreGetsTheStreamsBack() throws Exception {
        int port = LocalProcesses.freePort();
        Path store = Files.createTempDirectory("arcx-nats-store");
        Subjects subjects = new Subjects("streams-come-back");
        Process server = start(port, store);
        // The connection under test is one that worked and lost its server (see AccessClientTest).
        LocalProcesses.awaitListening(port, 20);
        NatsSettings settings = new NatsSettings() {
            @Override
            public String url() {
                return "nats://127.0.0.1:" + port;
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
        try (Connection nats = NatsConnections.open(settings, subjects, "streams-come-back", new SimpleMeterRegistry())) {
            assertTrue(declaredWithin(nats, subjects, Duration.ofSeconds(20)), "streams declared at connect");
            // Killed, as a crashed machine would lose it, and gone before its store is: a server still shutting
            // down would keep the port, and the client would stay with it.
            server.destroyForcibly();
            assertTrue(server.waitFor(30, TimeUnit.SECONDS), "the first server exited");
            wipe(store);
            server = start(port, store);
            assertTrue(declaredWithin(nats, subjects, Duration.ofSeconds(30)),
                    "streams declared again after the server came back without them");
        } finally {
            server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            wipe(store);
        }
    }

    private static Process start(int port, Path store) throws IOException {
        Files.createDirectories(store);
        return new ProcessBuilder(List.of("nats-server", "-a", "127.0.0.1", "-p", String.valueOf(port), "-js", "-sd",
                store.toString())).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
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

    private static void wipe(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
