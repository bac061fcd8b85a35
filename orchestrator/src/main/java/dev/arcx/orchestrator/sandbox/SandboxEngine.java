package dev.arcx.orchestrator.sandbox;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.ExecCreateCmdResponse;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import dev.arcx.orchestrator.config.OrchestratorConfig;
import dev.arcx.orchestrator.docker.DockerEngine;
import dev.arcx.orchestrator.docker.ExecStream;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The engine work of the sandbox: locked-down containers, writing files through the archive API, running code with
 * a wall-clock limit and capped output. Blocking: call from worker or virtual threads.
 */
@ApplicationScoped
public class SandboxEngine {
    /** Label with the sandbox kind: {@code pool} or {@code session}. */
    static final String LABEL_KIND = "arcx.sandbox";
    static final String LABEL_LANGUAGE = "arcx.sandbox.language";
    static final String LABEL_SESSION = "arcx.sandbox.session";
    static final String WORKDIR = "/sandbox";
    private static final Pattern OOM_KILLS = Pattern.compile("oom_kill (\\d+)");

    private final DockerClient docker;
    private final DockerEngine engine;
    private final OrchestratorConfig config;

    SandboxEngine(DockerClient docker, DockerEngine engine, OrchestratorConfig config) {
        this.docker = docker;
        this.engine = engine;
        this.config = config;
    }

    /** The labels of a sandbox object of this installation: its kind plus {@code extra}. */
    Map<String, String> labels(String kind, Map<String, String> extra) {
        Map<String, String> labels = new HashMap<>(extra);
        labels.put(DockerEngine.LABEL_INSTALLATION, config.installation());
        labels.put(LABEL_KIND, kind);
        return labels;
    }

    /** Streams output as it comes; {@code stderr} tells which stream the chunk belongs to. */
    interface OutputListener {
        void chunk(boolean stderr, String text);
    }

    /** What one exec produced. */
    record Outcome(String stdout, String stderr, int exitCode, boolean timedOut, boolean truncated, long durationMs) {
    }

    /**
     * Creates and starts a sandbox container named {@code name}, with a volume of the same name at /sandbox. No
     * network, read-only root, no capabilities, no privilege gain, an unprivileged user, and the run limits.
     *
     * @param persistent a session's volume lives on disk, so its files outlive a restart of the container; a one-run
     *     sandbox gets a size-limited tmpfs that vanishes with it
     */
    String create(String name, RunLimits limits, Map<String, String> labels, boolean persistent) {
        return engine.call("sandbox-create", () -> {
            var volume = docker.createVolumeCmd().withName(name).withLabels(labels).withDriver("local");
            if (!persistent) {
                volume.withDriverOpts(Map.of("type", "tmpfs", "device", "tmpfs", "o",
                        "size=" + config.sandbox().workdirSize() + ",uid=1000,gid=1000,mode=0700"));
            }
            volume.exec();
            HostConfig host = HostConfig.newHostConfig()
                    .withNetworkMode("none")
                    .withReadonlyRootfs(true)
                    .withTmpFs(Map.of("/tmp", "rw,noexec,nosuid,nodev,size=" + config.sandbox().tmpSize()))
                    .withMounts(List.of(new Mount().withType(MountType.VOLUME).withSource(name).withTarget(WORKDIR)))
                    .withMemory(limits.memoryBytes())
                    .withMemorySwap(limits.memoryBytes())
                    .withPidsLimit(limits.pids())
                    .withNanoCPUs(limits.nanoCpus())
                    .withCapDrop(Capability.ALL)
                    .withSecurityOpts(List.of("no-new-privileges:true"))
                    // PID 1 reaps what the code leaves behind and makes the kill at the deadline immediate.
                    .withInit(true);
            String id = docker.createContainerCmd(config.sandbox().image())
                    .withName(name)
                    .withUser("1000:1000")
                    .withWorkingDir(WORKDIR)
                    .withLabels(labels)
                    .withNetworkDisabled(true)
                    .withCmd("sleep", "infinity")
                    .withHostConfig(host)
                    .exec().getId();
            docker.startContainerCmd(id).exec();
            return id;
        });
    }

    /** Extracts the tar into /sandbox through the archive API: no shell, no command line, no quoting. */
    void write(String containerId, byte[] tar) {
        engine.call("sandbox-write", () -> {
            docker.copyArchiveToContainerCmd(containerId).withTarInputStream(new ByteArrayInputStream(tar))
                    .withRemotePath(WORKDIR).exec();
            return null;
        });
    }

    /**
     * Runs {@code command} in /sandbox as the sandbox user. At the deadline the whole container is killed (returns
     * with {@code timedOut}); the caller decides whether the container is discarded or restarted.
     */
    Outcome exec(String containerId, List<String> command, String stdin, Duration timeout, int outputLimit,
            OutputListener listener) {
        return engine.call("sandbox-exec", () -> {
            var created = createExec(containerId, command, true);
            CappedOutput out = new CappedOutput(outputLimit, listener);
            long start = System.nanoTime();
            ExecStream stream = startStream(created.getId(), out);
            feed(stream, null, stdin);
            return await(containerId, created.getId(), stream, out, timeout, start);
        });
    }

    /**
     * An interpreter for {@code language} started ahead of any run, waiting on its stdin. Releasing it saves the
     * engine's exec set-up and the interpreter's own start from the run's round trip. The launcher is fixed; the
     * code never appears in a command line.
     */
    Primed prime(String containerId, Language language) {
        return engine.call("sandbox-prime", () -> {
            var created = createExec(containerId, language.primedCommand(), true);
            CappedOutput out = new CappedOutput(0, null);
            return new Primed(created.getId(), startStream(created.getId(), out), out);
        });
    }

    /** An exec of {@code command} in /sandbox as the sandbox user, output attached. */
    private ExecCreateCmdResponse createExec(String containerId, List<String> command, boolean attachStdin) {
        return docker.execCreateCmd(containerId).withCmd(command.toArray(String[]::new)).withUser("1000:1000")
                .withWorkingDir(WORKDIR).withAttachStdout(true).withAttachStderr(true).withAttachStdin(attachStdin)
                .exec();
    }

    private ExecStream startStream(String execId, CappedOutput out) {
        return ExecStream.start(config.docker().host(), config.docker().apiVersion(), execId, out);
    }

    /** A process started by {@link #prime}, waiting to be released. */
    record Primed(String execId, ExecStream stream, CappedOutput out) {
    }

    /** Lets a primed interpreter run the code now in /sandbox, with the same deadline and caps as {@link #exec}. */
    Outcome release(String containerId, Primed primed, String stdin, Duration timeout, int outputLimit,
            OutputListener listener) {
        return engine.call("sandbox-exec", () -> {
            primed.out().arm(outputLimit, listener);
            long start = System.nanoTime();
            feed(primed.stream(), "\n", stdin);
            return await(containerId, primed.execId(), primed.stream(), primed.out(), timeout, start);
        });
    }

    /** Writes the release line (if any) and the caller's input, then ends stdin. */
    private static void feed(ExecStream stream, String release, String stdin) {
        try {
            if (release != null) {
                stream.write(release.getBytes(StandardCharsets.US_ASCII));
            }
            if (stdin != null && !stdin.isEmpty()) {
                stream.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            stream.closeStdin();
        } catch (IOException e) {
            // A process that exits without reading its input closes the pipe: its output still counts.
        }
    }

    private Outcome await(String containerId, String execId, ExecStream stream, CappedOutput out, Duration timeout,
            long start) {
        boolean finished;
        try (stream) {
            finished = stream.awaitEnd(timeout);
            if (!finished) {
                kill(containerId);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill(containerId);
            throw new IllegalStateException("interrupted while running code", e);
        }
        long durationMs = (System.nanoTime() - start) / 1_000_000;
        Long code = finished ? docker.inspectExecCmd(execId).exec().getExitCodeLong() : null;
        return new Outcome(out.text(false), out.text(true), code == null ? 137 : code.intValue(), !finished,
                out.truncated(), durationMs);
    }

    /** Whether the kernel's OOM killer struck in this container (cgroup v1 or v2 counter). */
    boolean oomKilled(String containerId) {
        Outcome counters = exec(containerId, List.of("cat", "/sys/fs/cgroup/memory/memory.oom_control",
                "/sys/fs/cgroup/memory.events"), null, Duration.ofSeconds(5), 4096, null);
        Matcher m = OOM_KILLS.matcher(counters.stdout());
        while (m.find()) {
            if (Long.parseLong(m.group(1)) > 0) {
                return true;
            }
        }
        return false;
    }

    /** Starts the container unless it runs already (the engine's start is idempotent). */
    void ensureRunning(String containerId) {
        engine.start(containerId);
    }

    /** Removes the container and its volume (both are named {@code name}); gone already is fine. */
    void destroy(String name) {
        engine.removeContainer(name);
        engine.removeVolume(name);
    }

    /** Removes every container and volume of this installation of one kind. */
    void destroyAll(String kind) {
        list(kind).forEach(c -> destroy(DockerEngine.name(c)));
        volumes(kind).forEach(this::destroy);
    }

    boolean exists(String name) {
        return engine.inspect(name).isPresent();
    }

    /** Names of the sandbox volumes of this installation of one kind. */
    List<String> volumes(String kind) {
        return engine.call("sandbox-list", () -> docker.listVolumesCmd()
                .withFilter("label", List.of(DockerEngine.LABEL_INSTALLATION + "=" + config.installation(),
                        LABEL_KIND + "=" + kind))
                .exec().getVolumes().stream().map(InspectVolumeResponse::getName).toList());
    }

    /** Sandbox containers of this installation of one kind. */
    List<Container> list(String kind) {
        return engine.call("sandbox-list", () -> docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(DockerEngine.LABEL_INSTALLATION, config.installation(), LABEL_KIND, kind))
                .exec());
    }

    private void kill(String containerId) {
        try {
            docker.killContainerCmd(containerId).exec();
        } catch (RuntimeException alreadyDead) {
            // The code ended it first.
        }
    }

    /** Keeps at most {@code limit} bytes per stream, passing what it keeps to the listener. */
    private static final class CappedOutput implements ExecStream.FrameListener {
        private volatile int limit;
        private volatile OutputListener listener;
        private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        private volatile boolean truncated;

        CappedOutput(int limit, OutputListener listener) {
            arm(limit, listener);
        }

        /** Sets the run's limit and listener; a primed process produces nothing before it is released. */
        void arm(int limit, OutputListener listener) {
            this.limit = limit;
            this.listener = listener;
        }

        @Override
        public void frame(boolean isErr, byte[] payload) {
            ByteArrayOutputStream target = isErr ? stderr : stdout;
            int room;
            synchronized (target) {
                room = Math.max(0, limit - target.size());
                target.write(payload, 0, Math.min(room, payload.length));
            }
            if (payload.length > room) {
                truncated = true;
            }
            if (listener != null && room > 0) {
                listener.chunk(isErr, new String(payload, 0, Math.min(room, payload.length), StandardCharsets.UTF_8));
            }
        }

        String text(boolean err) {
            ByteArrayOutputStream source = err ? stderr : stdout;
            synchronized (source) {
                return source.toString(StandardCharsets.UTF_8);
            }
        }

        boolean truncated() {
            return truncated;
        }
    }
}
