package dev.arcx.testkit.infra;

import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.arcx.testkit.engine.TestEngine;
import dev.arcx.testkit.process.LocalProcesses;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A second Docker engine of a test's own: its own dockerd (and the containerd it starts), socket, data root, exec
 * root and containerd namespace, no default bridge and no iptables rules, so the test may stop and start it without
 * disturbing the machine's engine, its containers or anyone else's tests. Needs root, as any dockerd does. Images
 * come from the machine's engine ({@link #copyImage}): no registry is asked.
 */
public final class PrivateDockerEngine implements AutoCloseable {
    /** How long the engine gives containers to stop when it shuts down (its default, 15 s, only slows the test). */
    private static final int SHUTDOWN_TIMEOUT_SECONDS = 3;
    /** Room for 256 networks of 256 addresses, outside the ranges engines use by default. */
    private static final String ADDRESS_POOL = "10.231.0.0/16";
    /** The workspace subnets an orchestrator on this engine hands out (apart from the machine's engine's 10.213/16). */
    public static final String WORKSPACE_SUBNETS = "10.232.0.0/16";
    private final Path dir;
    private final DockerClient client;
    private Process daemon;

    private PrivateDockerEngine(Path dir) {
        this.dir = dir;
        this.client = TestEngine.client(host(), Duration.ofSeconds(10));
    }

    public static PrivateDockerEngine start() {
        if (!LocalProcesses.isRoot()) {
            throw new IllegalStateException("a private Docker engine needs root (dockerd does): run the tests as root");
        }
        try {
            // Short: the engine's socket path must fit a unix socket address (108 bytes).
            PrivateDockerEngine engine = new PrivateDockerEngine(Files.createTempDirectory("arcx-engine"));
            engine.startDaemon();
            return engine;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The engine's address, as {@code DOCKER_HOST} names it. */
    public String host() {
        return "unix://" + dir.resolve("docker.sock");
    }

    public DockerClient docker() {
        return client;
    }

    /** The private engine's default bridge: a host interface of its own, named after its directory (≤ 15 bytes). */
    private String bridge() {
        return "arcxpe" + Integer.toHexString(dir.getFileName().toString().hashCode() & 0xfffffff);
    }

    private static void ip(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        try {
            new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The machine's engine's default bridge ({@code docker0}) as {@code ip} shows its IPv4 address, or null. A dockerd
     * restarted on a data root of its own clears the default network it stored before, and that deletes the host
     * interface named {@code docker0} whatever {@code --bridge} says (seen with engine 26.1): the machine's engine
     * would then fail every container on its default bridge until it is restarted itself.
     */
    private static String hostBridgeAddress() {
        try {
            Process show = new ProcessBuilder("ip", "-4", "-o", "addr", "show", "dev", "docker0")
                    .redirectErrorStream(true).start();
            String out = new String(show.getInputStream().readAllBytes());
            show.waitFor();
            var address = java.util.regex.Pattern.compile("inet (\\S+)").matcher(out);
            return show.exitValue() == 0 && address.find() ? address.group(1) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Puts the machine's {@code docker0} back (same address) when this engine's start removed it. */
    private static void restoreHostBridge(String address) {
        if (address == null || Files.exists(Path.of("/sys/class/net/docker0"))) {
            return;
        }
        System.err.printf("the private engine's start removed the host's docker0; restoring it (%s)%n", address);
        ip("link", "add", "docker0", "type", "bridge");
        ip("addr", "add", address, "dev", "docker0");
        ip("link", "set", "docker0", "up");
    }

    public void startDaemon() {
        String hostBridge = hostBridgeAddress();
        if (!Files.exists(Path.of("/sys/class/net", bridge()))) {
            ip("link", "add", bridge(), "type", "bridge");
            ip("link", "set", bridge(), "up");
        }
        String namespace = "arcx-private-" + dir.getFileName();
        daemon = LocalProcesses.spawn(dir.resolve("dockerd.log"), List.of("dockerd",
                "-H", host(),
                "--data-root", dir.resolve("data").toString(),
                "--exec-root", dir.resolve("exec").toString(),
                "--pidfile", dir.resolve("docker.pid").toString(),
                "--containerd-namespace", namespace,
                "--containerd-plugins-namespace", namespace + "-plugins",
                // Never --bridge=none: an engine started so deletes the host's "docker0" interface, which the machine's
                // own engine needs for every container on its default bridge (builds included). A bridge of its own.
                "--bridge=" + bridge(), "--iptables=false", "--ip6tables=false",
                // The default pools (172.17-31/16, 192.168/20) are what the machine's engine hands out too, and an
                // engine skips every range a host route already uses: with the machine's networks about, the private
                // engine would find none free, and every workspace has a network of its own.
                "--default-address-pool", "base=" + ADDRESS_POOL + ",size=24",
                "--shutdown-timeout=" + SHUTDOWN_TIMEOUT_SECONDS));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .failFast("dockerd exited: " + LocalProcesses.tail(dir.resolve("dockerd.log")), () -> !daemon.isAlive())
                .ignoreExceptions()
                .until(() -> {
                    client.pingCmd().exec();
                    return true;
                });
        restoreHostBridge(hostBridge);
    }

    /** SIGTERM, as a service manager's restart sends: the engine stops its containers and then itself. */
    public void stopDaemon() {
        LocalProcesses.stop(daemon, 60);
    }

    /** Copies {@code image} from the machine's engine into this one (save and load, no registry). */
    public void copyImage(String image) {
        try {
            client.inspectImageCmd(image).exec();
            return;
        } catch (NotFoundException missing) {
            // Copied below.
        }
        try (InputStream archive = TestEngine.docker().saveImageCmd(image).exec()) {
            client.loadImageCmd(archive).exec();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The engine's own networks and their host bridges: an engine whose directory is deleted leaves the bridges of
     * networks it still knew on the host, holding their address ranges, and every later engine skips those ranges.
     */
    private void removeNetworks() {
        try {
            for (var network : client.listNetworksCmd().exec()) {
                if (List.of("bridge", "host", "none").contains(network.getName())) {
                    continue;
                }
                String bridgeName = network.getOptions() == null ? null
                        : network.getOptions().get("com.docker.network.bridge.name");
                try {
                    client.removeNetworkCmd(network.getId()).exec();
                } catch (RuntimeException e) {
                    System.err.printf("could not remove the private engine's network %s: %s%n", network.getName(),
                            e.getMessage());
                }
                String iface = bridgeName != null ? bridgeName : "br-" + network.getId().substring(0, 12);
                if (Files.exists(Path.of("/sys/class/net", iface))) {
                    ip("link", "del", iface);
                }
            }
        } catch (RuntimeException e) {
            System.err.printf("could not list the private engine's networks: %s%n", e.getMessage());
        }
    }

    @Override
    public void close() {
        if (daemon != null && daemon.isAlive()) {
            try {
                for (var container : client.listContainersCmd().withShowAll(true).exec()) {
                    try {
                        client.removeContainerCmd(container.getId()).withForce(true).withRemoveVolumes(true).exec();
                    } catch (NotFoundException gone) {
                        // Removed meanwhile by the service under test.
                    }
                }
            } catch (RuntimeException e) {
                System.err.printf("could not remove the private engine's containers: %s%n", e.getMessage());
            }
            removeNetworks();
            stopDaemon();
        }
        try {
            client.close();
        } catch (IOException e) {
            // Nothing left to close.
        }
        // A mount left behind (the engine did not unmount everything) must not be walked into and emptied.
        try {
            String dirName = dir.toString();
            if (Files.readAllLines(Path.of("/proc/self/mounts")).stream().anyMatch(line -> line.contains(dirName))) {
                System.err.printf("the private engine left mounts under %s; not removing it%n", dir);
                return;
            }
        } catch (IOException e) {
            return;
        }
        ip("link", "del", bridge());
        LocalProcesses.deleteTree(dir);
    }
}
