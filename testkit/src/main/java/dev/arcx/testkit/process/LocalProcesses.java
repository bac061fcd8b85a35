package dev.arcx.testkit.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * How the private infrastructure of a test ({@link dev.arcx.testkit.infra.PrivatePostgres},
 * {@link dev.arcx.testkit.infra.PrivateNats}, …) runs its programs.
 */
public final class LocalProcesses {
    private LocalProcesses() {
    }

    /**
     * A port nothing listens on, for a server a test starts and may restart on the same port. Taken below the
     * kernel's ephemeral range: a port from that range can meanwhile become the source port of an outgoing
     * connection (a client reconnecting to the stopped server may even connect to itself on it), and the restarted
     * server then cannot bind it.
     */
    public static int freePort() {
        int below = ephemeralRangeStart();
        int lowest = Math.max(1024, below - 12_000);
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = lowest + java.util.concurrent.ThreadLocalRandom.current().nextInt(below - lowest);
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(false);
                socket.bind(new java.net.InetSocketAddress("0.0.0.0", port));
                return port;
            } catch (IOException taken) {
                // In use; try another.
            }
        }
        throw new IllegalStateException("no free port between " + lowest + " and " + below);
    }

    /** The first port of the kernel's ephemeral range (32768 when it cannot be read). */
    private static int ephemeralRangeStart() {
        try {
            String range = java.nio.file.Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            int start = Integer.parseInt(range.split("\\s+")[0]);
            return start > 2048 ? start : 32768;
        } catch (IOException | RuntimeException e) {
            return 32768;
        }
    }

    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Runs {@code command} to its end (bounded), its output into {@code log}; fails with the log's tail otherwise. */
    public static void run(Path log, List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish; " + tail(log));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (exit " + process.exitValue()
                        + "); " + tail(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts a long-running {@code command} whose output goes to {@code log}. */
    public static Process spawn(Path log, List<String> command) {
        try {
            return new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits (up to {@code seconds}) until something listens on the loopback {@code port}; fails otherwise. */
    public static void awaitListening(int port, int seconds) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!listening(port)) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException("nothing listens on 127.0.0.1:" + port + " after " + seconds + " s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    public static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGTERM, then SIGKILL if it does not end in time; waits for the end either way. */
    public static void stop(Process process, int seconds) {
        try {
            process.destroy();
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            System.err.printf("could not remove all of %s: %s%n", root, e.getMessage());
        }
    }

    public static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return "last lines of " + log + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 30),
                    lines.size()));
        } catch (IOException e) {
            return "no log at " + log;
        }
    }

    public static List<String> command(String... parts) {
        return new ArrayList<>(List.of(parts));
    }
}
