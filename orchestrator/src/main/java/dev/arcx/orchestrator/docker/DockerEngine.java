package dev.arcx.orchestrator.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.DeviceRequest;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Image;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.Statistics;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.arcx.orchestrator.config.OrchestratorConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.ClientProxy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The orchestrator's blocking vocabulary over the Docker Engine API. Every method is idempotent where the engine
 * allows it (creating what exists returns it, removing what is gone succeeds), because crashed operations are
 * re-driven from the database. Call only from worker or virtual threads.
 */
@ApplicationScoped
public class DockerEngine {
    /** Label on every object the orchestrator creates, holding the workspace id. */
    public static final String LABEL_WORKSPACE = "arcx.workspace";
    public static final String LABEL_OWNER = "arcx.owner";
    /** The installation that owns the object; see {@code arcx.installation}. */
    public static final String LABEL_INSTALLATION = "arcx.installation";
    /** Digest of the container's configuration, to tell when a changed workspace needs a new container. */
    public static final String LABEL_SPEC = "arcx.spec";
    /** On images: the port that answers once a container of the image is up (set by the image recipes). */
    public static final String LABEL_READY_PORT = "dev.arcx.ready-port";
    /** On snapshot images of a clone request: the workspace they were taken from. */
    public static final String LABEL_SNAPSHOT = "arcx.snapshot";
    /** Repository of snapshot images; the tag names the clone request. */
    public static final String SNAPSHOT_REPOSITORY = "arcx-snapshot";

    private final DockerClient docker;
    private final MeterRegistry metrics;
    private final String installation;
    private final String apiVersion;
    private final ObjectMapper json;
    private final WorkspaceSubnets subnets;
    private volatile Integer hostCpus;

    DockerEngine(DockerClient docker, MeterRegistry metrics, OrchestratorConfig config, ObjectMapper json) {
        this.docker = docker;
        this.metrics = metrics;
        this.installation = config.installation();
        this.apiVersion = config.docker().apiVersion();
        this.json = json;
        this.subnets = new WorkspaceSubnets(config.workspaces().subnetPool(), config.workspaces().subnetPrefix());
    }

    /** A listed container's name, without the engine's leading '/'. */
    public static String name(Container container) {
        return container.getNames()[0].substring(1);
    }

    /** The labels every object of a workspace carries. */
    public Map<String, String> labels(String workspaceId, String ownerId) {
        return Map.of(LABEL_WORKSPACE, workspaceId, LABEL_OWNER, ownerId, LABEL_INSTALLATION, installation);
    }

    /** CPUs of the engine's host: a CPU limit above it is refused by the engine, so limits are capped to it. */
    public int hostCpus() {
        Integer cpus = hostCpus;
        if (cpus == null) {
            cpus = call("info", () -> docker.infoCmd().exec().getNCPU());
            hostCpus = cpus;
        }
        return cpus;
    }

    /**
     * An internal bridge network: no route off the host, and nothing else on it. The bridge interface is named
     * after the workspace so the host firewall can refuse everything that comes from workspace bridges.
     */
    public void ensureNetwork(String name, String bridgeName, Map<String, String> labels) {
        ensureBridge(name, bridgeName, labels, true, true);
    }

    /**
     * The edge network Traefik reaches every workspace on: internal too, and without traffic between its containers
     * (inter-container communication off), so sharing it does not let one workspace reach another. Traefik runs on
     * the host's network and reaches the containers through the bridge, which that setting does not block.
     */
    public void ensureEdgeNetwork(String name, String bridgeName, Map<String, String> labels) {
        ensureBridge(name, bridgeName, labels, false, false);
    }

    /** Attaches the container to the network; attached already is fine. */
    public void connect(String containerId, String network) {
        call("network-connect", () -> {
            boolean attached = docker.inspectContainerCmd(containerId).exec().getNetworkSettings().getNetworks()
                    .containsKey(network);
            if (!attached) {
                docker.connectToNetworkCmd().withContainerId(containerId).withNetworkId(network).exec();
            }
            return null;
        });
    }

    /**
     * @param ownSubnet a subnet from the workspace range ({@link WorkspaceSubnets}) rather than one of the engine's
     *                  default pools, which hold only about 30 networks
     */
    private void ensureBridge(String name, String bridgeName, Map<String, String> labels, boolean interContainer,
            boolean ownSubnet) {
        call("network-create", () -> {
            if (networkExists(name)) {
                return null;
            }
            List<String> candidates = new ArrayList<>();
            if (ownSubnet) {
                candidates.addAll(subnets.candidates(name, takenSubnets(), 8));
                if (candidates.isEmpty()) {
                    throw new ConflictException("no free subnet left for workspace networks (" + subnets.size()
                            + " in arcx.workspaces.subnet-pool)");
                }
            } else {
                candidates.add(null);
            }
            DockerException refused = null;
            for (String subnet : candidates) {
                try {
                    var create = docker.createNetworkCmd().withName(name).withDriver("bridge").withInternal(true)
                            .withCheckDuplicate(true).withLabels(labels)
                            .withOptions(Map.of("com.docker.network.bridge.name", bridgeName,
                                    "com.docker.network.bridge.enable_icc", Boolean.toString(interContainer)));
                    if (subnet != null) {
                        create.withIpam(new Network.Ipam().withConfig(new Network.Ipam.Config().withSubnet(subnet)));
                    }
                    create.exec();
                    return null;
                } catch (DockerException raced) {
                    // Created meanwhile by a re-driven operation or, for the shared edge network, by another
                    // workspace starting at the same time (the engine then refuses the bridge name with 403 rather
                    // than the network name with 409): the network exists, which is all we want. Otherwise another
                    // network took this subnet since the list was read: the next candidate.
                    if (networkExists(name)) {
                        return null;
                    }
                    refused = raced;
                }
            }
            throw refused;
        });
    }

    /** Every IPv4/IPv6 subnet some network of the engine uses, whichever installation made it. */
    private List<String> takenSubnets() {
        List<String> taken = new ArrayList<>();
        for (Network network : docker.listNetworksCmd().exec()) {
            if (network.getIpam() != null && network.getIpam().getConfig() != null) {
                network.getIpam().getConfig().stream().map(Network.Ipam.Config::getSubnet)
                        .filter(subnet -> subnet != null && !subnet.isEmpty()).forEach(taken::add);
            }
        }
        return taken;
    }

    private boolean networkExists(String name) {
        return docker.listNetworksCmd().withNameFilter(name).exec().stream().anyMatch(n -> n.getName().equals(name));
    }

    public void removeNetwork(String name) {
        call("network-remove", () -> {
            try {
                docker.removeNetworkCmd(name).exec();
            } catch (NotFoundException gone) {
                // Already removed.
            }
            return null;
        });
    }

    public void ensureVolume(String name, Map<String, String> labels) {
        call("volume-create", () -> {
            try {
                docker.inspectVolumeCmd(name).exec();
            } catch (NotFoundException missing) {
                docker.createVolumeCmd().withName(name).withLabels(labels).exec();
            }
            return null;
        });
    }

    public void removeVolume(String name) {
        call("volume-remove", () -> {
            try {
                docker.removeVolumeCmd(name).exec();
            } catch (NotFoundException gone) {
                // Already removed.
            }
            return null;
        });
    }

    /** The labels of {@code image} (none is an empty map); empty when the engine does not have the image. */
    public Optional<Map<String, String>> imageLabels(String image) {
        return call("image-inspect", () -> {
            try {
                var config = docker.inspectImageCmd(image).exec().getConfig();
                return Optional.<Map<String, String>>of(config == null || config.getLabels() == null ? Map.of()
                        : config.getLabels());
            } catch (NotFoundException missing) {
                return Optional.<Map<String, String>>empty();
            }
        });
    }

    public boolean imageExists(String image) {
        return imageLabels(image).isPresent();
    }

    /**
     * The port that answers when a container of the image is up, as its labels declare it
     * ({@code dev.arcx.ready-port}: 4096 for OpenCode in every arcx image, 8080 once code-server is in it).
     */
    public static Optional<Integer> readyPort(Map<String, String> imageLabels) {
        String port = imageLabels.get(LABEL_READY_PORT);
        return port == null || !port.matches("\\d{1,5}") ? Optional.empty() : Optional.of(Integer.parseInt(port));
    }

    /** Creates the container, or returns the id of the one that already has this name. */
    public String createContainer(ContainerSpec spec) {
        return call("container-create", () -> {
            HostConfig host = HostConfig.newHostConfig()
                    .withNanoCPUs(spec.nanoCpus())
                    .withMemory(spec.memoryBytes())
                    .withMemorySwap(spec.memoryBytes())
                    .withMemoryReservation(spec.memoryReservationBytes())
                    .withPidsLimit(spec.pidsLimit())
                    .withSecurityOpts(List.of("no-new-privileges:true"))
                    // The workspace image runs its IDE and agents as an unprivileged user on ports above 1024,
                    // so it needs no capability at all.
                    .withCapDrop(Capability.ALL)
                    .withTmpFs(Map.of("/tmp", "rw,noexec,nosuid,nodev,size=" + spec.tmpSize()))
                    .withMounts(List.of(new Mount().withType(MountType.VOLUME).withSource(spec.volume())
                            .withTarget(spec.homePath())))
                    .withNetworkMode(spec.network())
                    // An init process as PID 1 reaps the zombies IDE terminals leave behind and passes docker stop's
                    // SIGTERM on, so a workspace stops in well under a second instead of waiting out the timeout.
                    .withInit(true);
            if (spec.gpus()) {
                // The NVIDIA container runtime on the host hands the GPUs in; without it the engine refuses, and
                // the workspace fails with the engine's reason rather than running without the GPU it pays for.
                host.withDeviceRequests(List.of(new DeviceRequest().withDriver("nvidia").withCount(-1)
                        .withCapabilities(List.of(List.of("gpu")))));
            }
            try {
                return docker.createContainerCmd(spec.image())
                        .withName(spec.name())
                        .withHostName(spec.hostname())
                        .withUser(spec.user())
                        .withLabels(spec.labels())
                        .withEnv(spec.env().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
                        .withExposedPorts(spec.exposedPorts().stream().map(ExposedPort::tcp).toList())
                        .withHostConfig(host)
                        .exec().getId();
            } catch (ConflictException exists) {
                return docker.inspectContainerCmd(spec.name()).exec().getId();
            }
        });
    }

    /** The container's address on {@code network}: how the host reaches a workspace through its own bridge. */
    public static Optional<String> address(InspectContainerResponse container, String network) {
        var attached = container.getNetworkSettings().getNetworks().get(network);
        return attached == null || attached.getIpAddress() == null || attached.getIpAddress().isEmpty()
                ? Optional.empty() : Optional.of(attached.getIpAddress());
    }

    public Optional<InspectContainerResponse> inspect(String nameOrId) {
        return call("container-inspect", () -> {
            try {
                return Optional.of(docker.inspectContainerCmd(nameOrId).exec());
            } catch (NotFoundException missing) {
                return Optional.empty();
            }
        });
    }

    public void start(String id) {
        call("container-start", () -> {
            try {
                docker.startContainerCmd(id).exec();
            } catch (NotModifiedException alreadyRunning) {
                // Idempotent start.
            }
            return null;
        });
    }

    public void stop(String id, int timeoutSeconds) {
        call("container-stop", () -> {
            try {
                docker.stopContainerCmd(id).withTimeout(timeoutSeconds).exec();
            } catch (NotModifiedException alreadyStopped) {
                // Idempotent stop.
            } catch (NotFoundException gone) {
                // Nothing left to stop.
            }
            return null;
        });
    }

    public void removeContainer(String nameOrId) {
        call("container-remove", () -> {
            try {
                docker.removeContainerCmd(nameOrId).withForce(true).withRemoveVolumes(false).exec();
            } catch (NotFoundException gone) {
                // Already removed.
            }
            return null;
        });
    }

    /** The last {@code tail} lines of stdout and stderr, interleaved as the engine stored them. */
    public String logs(String id, int tail) {
        return call("container-logs", () -> {
            StringBuilder out = new StringBuilder();
            try {
                docker.logContainerCmd(id).withStdOut(true).withStdErr(true).withTail(tail)
                        .exec(new ResultCallback.Adapter<Frame>() {
                            @Override
                            public void onNext(Frame frame) {
                                out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                            }
                        }).awaitCompletion(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return out.toString();
        });
    }

    public ContainerStats stats(String id) {
        return call("container-stats", () -> {
            Statistics[] sample = new Statistics[1];
            try (var callback = docker.statsCmd(id).withNoStream(true).exec(new ResultCallback.Adapter<Statistics>() {
                @Override
                public void onNext(Statistics statistics) {
                    sample[0] = statistics;
                }
            })) {
                callback.awaitCompletion(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            return toStats(sample[0]);
        });
    }

    private static ContainerStats toStats(Statistics s) {
        if (s == null || s.getCpuStats() == null || s.getMemoryStats() == null) {
            return new ContainerStats(0, 0, 0);
        }
        double cpu = 0;
        var now = s.getCpuStats();
        var before = s.getPreCpuStats();
        if (before != null && now.getCpuUsage() != null && before.getCpuUsage() != null
                && now.getSystemCpuUsage() != null && before.getSystemCpuUsage() != null) {
            long cpuDelta = now.getCpuUsage().getTotalUsage() - before.getCpuUsage().getTotalUsage();
            long systemDelta = now.getSystemCpuUsage() - before.getSystemCpuUsage();
            long cpus = now.getOnlineCpus() != null ? now.getOnlineCpus()
                    : now.getCpuUsage().getPercpuUsage() == null ? 1 : now.getCpuUsage().getPercpuUsage().size();
            if (systemDelta > 0 && cpuDelta > 0) {
                cpu = (double) cpuDelta / systemDelta * cpus * 100.0;
            }
        }
        Long usage = s.getMemoryStats().getUsage();
        Long limit = s.getMemoryStats().getLimit();
        return new ContainerStats(cpu, usage == null ? 0 : usage, limit == null ? 0 : limit);
    }

    public void pause(String id) {
        call("container-pause", () -> docker.pauseContainerCmd(id).exec());
    }

    /** Resumes a paused container; one that is not paused (or gone) is fine. */
    public void unpause(String id) {
        call("container-unpause", () -> {
            try {
                docker.unpauseContainerCmd(id).exec();
            } catch (NotFoundException | ConflictException notPaused) {
                // Nothing to resume.
            }
            return null;
        });
    }

    /**
     * Commits the container's file system (everything outside its volumes) to an image tagged
     * {@code arcx-snapshot:<tag>}, and answers the tag. The container must not be written to meanwhile (pause it).
     *
     * <p>A committed image inherits the container's labels, and the engine can neither drop labels at commit nor
     * later; yet a container made from it must not carry the source's labels: Traefik would see the source's routers
     * declared twice and drop them, and the source's id would follow the copy around. So the committed configuration
     * is loaded again without them: an archive holding only the new configuration and a manifest naming the same
     * layers, which the engine already has and therefore does not read (no layer data moves).
     */
    public String snapshot(String containerId, String workspaceId, String tag) {
        return call("container-commit", () -> {
            Map<String, String> labels = Map.of(LABEL_SNAPSHOT, workspaceId, LABEL_INSTALLATION, installation);
            String committed = docker.commitCmd(containerId).withPause(false).withLabels(labels).exec();
            try {
                String reference = SNAPSHOT_REPOSITORY + ":" + tag;
                docker.loadImageCmd(new ByteArrayInputStream(imageArchive(committed, reference))).exec();
                return reference;
            } finally {
                removeImage(committed);
            }
        });
    }

    /**
     * A {@code docker save} archive of the committed image without its layers: the image configuration with the
     * workspace's own labels taken out, and the manifest naming the layer files the engine skips as known.
     */
    private byte[] imageArchive(String imageId, String reference) {
        ObjectNode inspected = (ObjectNode) get("/images/" + imageId + "/json");
        ObjectNode config = (ObjectNode) inspected.get("Config");
        ObjectNode labels = (ObjectNode) config.get("Labels");
        List<String> inherited = new ArrayList<>();
        labels.fieldNames().forEachRemaining(inherited::add);
        inherited.stream().filter(DockerEngine::workspaceLabel).forEach(labels::remove);
        ObjectNode image = json.createObjectNode();
        image.put("architecture", inspected.path("Architecture").asText());
        image.put("os", inspected.path("Os").asText());
        image.put("created", inspected.path("Created").asText());
        image.set("config", config);
        image.putObject("rootfs").put("type", "layers").set("diff_ids", inspected.path("RootFS").path("Layers"));
        ArrayNode layerFiles = json.createArrayNode();
        for (int i = 0; i < inspected.path("RootFS").path("Layers").size(); i++) {
            layerFiles.add("layer" + i + "/layer.tar");
        }
        ObjectNode manifest = json.createObjectNode();
        manifest.put("Config", "config.json");
        manifest.putArray("RepoTags").add(reference);
        manifest.set("Layers", layerFiles);
        try (var bytes = new ByteArrayOutputStream(); var tar = new TarArchiveOutputStream(bytes)) {
            tarEntry(tar, "config.json", json.writeValueAsBytes(image));
            tarEntry(tar, "manifest.json", json.writeValueAsBytes(json.createArrayNode().add(manifest)));
            tar.finish();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Labels the orchestrator puts on a workspace's container (its identity and its routes), not the image's own. */
    private static boolean workspaceLabel(String key) {
        return key.equals(LABEL_WORKSPACE) || key.equals(LABEL_OWNER) || key.equals(LABEL_SPEC)
                || key.startsWith("traefik.");
    }

    private static void tarEntry(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    /** An Engine API answer as JSON, for the fields docker-java's models leave out (an image's whole configuration). */
    private JsonNode get(String path) {
        // The injected client is the container's proxy; the instance behind it holds the HTTP transport.
        if (!(ClientProxy.unwrap(docker) instanceof DockerClientImpl client)) {
            throw new IllegalStateException("raw Engine API requests need docker-java's DockerClientImpl");
        }
        var request = DockerHttpClient.Request.builder().method(DockerHttpClient.Request.Method.GET)
                .path("/v" + apiVersion + path).build();
        try (var response = client.getHttpClient().execute(request)) {
            if (response.getStatusCode() != 200) {
                throw new IllegalStateException("GET " + path + " answered " + response.getStatusCode());
            }
            return json.readTree(response.getBody());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Removes the image even while containers made from it exist: they keep its layers, and the image record does
     * not outlive them as a dangling image. Gone already is fine.
     */
    public void removeImage(String reference) {
        call("image-remove", () -> {
            try {
                docker.removeImageCmd(reference).withForce(true).exec();
            } catch (NotFoundException gone) {
                // Already removed.
            }
            return null;
        });
    }

    /** Snapshot images of this installation (by id), for the sweep of those a crash left behind. */
    public List<Image> snapshotImages() {
        return call("image-list", () -> docker.listImagesCmd()
                .withLabelFilter(LABEL_SNAPSHOT, LABEL_INSTALLATION + "=" + installation).exec());
    }

    /**
     * Copies the contents of volume {@code from} into volume {@code to}, ownership, modes and times included, with a
     * short-lived container of {@code image} running {@code cp -a}: the data moves inside the engine's host, never
     * through this process. The container has no network, a read-only root, the source volume read-only, and only
     * the capabilities copying another user's files takes (read and write them, set their owner, mode and times).
     */
    public void copyVolume(String image, String from, String to, Map<String, String> labels, Duration timeout) {
        call("volume-copy", () -> {
            HostConfig host = HostConfig.newHostConfig()
                    .withNetworkMode("none")
                    .withReadonlyRootfs(true)
                    .withSecurityOpts(List.of("no-new-privileges:true"))
                    .withCapDrop(Capability.ALL)
                    .withCapAdd(Capability.CHOWN, Capability.DAC_OVERRIDE, Capability.FOWNER, Capability.FSETID)
                    .withMemory(256L << 20)
                    .withPidsLimit(64L)
                    .withMounts(List.of(
                            new Mount().withType(MountType.VOLUME).withSource(from).withTarget("/source")
                                    .withReadOnly(true),
                            new Mount().withType(MountType.VOLUME).withSource(to).withTarget("/target")));
            // traefik.enable is overridden too: the helper must never be routed, whatever the image says.
            Map<String, String> helperLabels = new HashMap<>(labels);
            helperLabels.put("traefik.enable", "false");
            String id = docker.createContainerCmd(image).withName(to + "-copy").withUser("0:0")
                    .withLabels(helperLabels).withEntrypoint("cp", "-a", "/source/.", "/target/")
                    .withHostConfig(host).exec().getId();
            try {
                docker.startContainerCmd(id).exec();
                long code = awaitExit(id, timeout);
                if (code != 0) {
                    throw new IllegalStateException("copying the volume failed (exit code " + code + "): "
                            + logs(id, 5).strip());
                }
            } finally {
                removeContainer(id);
            }
            return null;
        });
    }

    /**
     * Polls until the container exits and answers its exit code. Polling, not the engine's wait call: that one
     * answers only at the exit, and would run into the client's response timeout on a long copy.
     */
    private long awaitExit(String id, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            var state = docker.inspectContainerCmd(id).exec().getState();
            if (!Boolean.TRUE.equals(state.getRunning())) {
                return state.getExitCodeLong() == null ? -1 : state.getExitCodeLong();
            }
            try {
                TimeUnit.MILLISECONDS.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        throw new IllegalStateException("copying the volume took longer than " + timeout.toSeconds() + "s");
    }

    /** Every workspace container of this installation, running or not. */
    public List<Container> managedContainers() {
        return call("container-list", () -> docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(LABEL_INSTALLATION, installation)).exec().stream()
                .filter(c -> c.getLabels() != null && c.getLabels().containsKey(LABEL_WORKSPACE)).toList());
    }

    public List<Network> managedNetworks() {
        return call("network-list", () -> docker.listNetworksCmd().exec().stream()
                .filter(n -> n.getLabels() != null && n.getLabels().containsKey(LABEL_WORKSPACE)
                        && installation.equals(n.getLabels().get(LABEL_INSTALLATION)))
                .toList());
    }

    public List<InspectVolumeSummary> managedVolumes() {
        return call("volume-list", () -> docker.listVolumesCmd()
                .withFilter("label", List.of(LABEL_WORKSPACE, LABEL_INSTALLATION + "=" + installation)).exec()
                .getVolumes().stream()
                .map(v -> new InspectVolumeSummary(v.getName(), v.getLabels() == null ? Map.of() : v.getLabels()))
                .toList());
    }

    /** A volume's name and labels. */
    public record InspectVolumeSummary(String name, Map<String, String> labels) {
    }

    /**
     * Follows the engine's container events for arcx workspaces until the returned handle is closed or the stream
     * breaks ({@code onEnd} runs then, so the caller can reconnect).
     */
    public Closeable followWorkspaceEvents(Consumer<Event> onEvent, Consumer<Throwable> onEnd) {
        return docker.eventsCmd()
                .withEventTypeFilter(EventType.CONTAINER)
                .withLabelFilter(Map.of(LABEL_INSTALLATION, installation))
                .exec(new ResultCallback.Adapter<Event>() {
                    @Override
                    public void onNext(Event event) {
                        onEvent.accept(event);
                    }

                    @Override
                    public void onError(Throwable throwable) {
                        onEnd.accept(throwable);
                    }

                    @Override
                    public void onComplete() {
                        onEnd.accept(null);
                    }
                });
    }

    /**
     * Extracts {@code tar} at {@code remotePath} in the container through the archive API: running or stopped (the
     * engine mounts a stopped container's volumes for it), no shell and no exec involved.
     */
    public void copyArchive(String containerId, String remotePath, byte[] tar) {
        call("container-archive", () -> {
            docker.copyArchiveToContainerCmd(containerId).withTarInputStream(new ByteArrayInputStream(tar))
                    .withRemotePath(remotePath).exec();
            return null;
        });
    }

    /** Counts failures per operation for the Prometheus error metric, then lets them travel. */
    public <T> T call(String operation, Supplier<T> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            metrics.counter("arcx_docker_api_errors_total", "operation", operation).increment();
            throw e;
        }
    }
}
