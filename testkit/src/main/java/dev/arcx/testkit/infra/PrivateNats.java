package dev.arcx.testkit.infra;

import static org.awaitility.Awaitility.await;

import dev.arcx.testkit.process.LocalProcesses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A nats-server with JetStream of a test's own (own port, own store directory), so the test may stop and start it
 * without disturbing the machine's broker. The store survives a restart, as a real server's does.
 */
public final class PrivateNats implements AutoCloseable {
    private final Path dir;
    private final int port;
    private Process server;

    private PrivateNats(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    public static PrivateNats start() {
        try {
            PrivateNats nats = new PrivateNats(Files.createTempDirectory("arcx-private-nats"),
                    LocalProcesses.freePort());
            nats.startServer();
            return nats;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "nats://127.0.0.1:" + port;
    }

    public void startServer() {
        server = LocalProcesses.spawn(dir.resolve("nats.log"), List.of("nats-server", "-a", "127.0.0.1", "-p",
                String.valueOf(port), "-js", "-sd", dir.resolve("store").toString()));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .failFast("nats-server exited: " + LocalProcesses.tail(dir.resolve("nats.log")),
                        () -> !server.isAlive())
                .until(() -> LocalProcesses.listening(port));
    }

    /** SIGTERM: the server flushes its store and closes every client connection. */
    public void stopServer() {
        LocalProcesses.stop(server, 30);
    }

    @Override
    public void close() {
        if (server != null) {
            LocalProcesses.stop(server, 10);
        }
        LocalProcesses.deleteTree(dir);
    }
}
