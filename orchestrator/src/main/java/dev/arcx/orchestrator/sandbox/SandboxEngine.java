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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The engine work of the sandbox: locked-down containers, running code with its files delivered on stdin, a
 * wall-clock limit over the whole run and capped output. Blocking: call from worker or virtual threads.
 */
@ApplicationScoped
public class SandboxEngine {
    /** Label with the sandbox kind: {@code pool} or {@code session}. */
    static final String LABEL_KIND = "arcx.sandbox";
    static final String LABEL_LANGUAGE = "arcx.sandbox.language";
    static final String LABEL_SESSION = "arcx.sandbox.session";
    static final String WORKDIR = "/sandbox";
    /** PID 1 of every sandbox container (images/sandbox-runtime/primed/init.py). */
    private static final List<String> INIT = List.of("python3", "/opt/arcx/init.py");
    /** How long a session's run may take to end after its processes were told to end, before the container is. */
    private static final Duration END_GRACE = Duration.ofSeconds(2);
    /** How long a launcher started ahead of a run may take to be ready for its files. */
    private static final Duration PRIME_TIMEOUT = Duration.ofSeconds(30);
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

    /**
     * What one run produced.
     *
     * @param deliveredMs when the files had been handed to the engine, counted from the run's start; the whole
     *     duration when the deadline came first
     */
    record Outcome(String stdout, String stderr, int exitCode, boolean timedOut, boolean truncated, long durationMs,
            long deliveredMs) {
    }

    /**
     * Creates and starts a sandbox container named {@code name}, with a volume of the same name at /sandbox. No
     * network, read-only root, no capabilities, no privilege gain, an unprivileged user, and the run limits.
     *
     * @param session the volume is a size-limited tmpfs either way (its pages count against the container's memory);
     *     a session's is larger and lives as long as the container runs: its runs end their processes rather than
     *     the container (see {@link #endProcesses})
     */
    String create(String name, RunLimits limits, Map<String, String> labels, boolean session) {
        return engine.call("sandbox-create", () -> {
            String size = session ? config.sandbox().sessionDiskSize() : config.sandbox().workdirSize();
            docker.createVolumeCmd().withName(name).withLabels(labels).withDriver("local")
                    .withDriverOpts(Map.of("type", "tmpfs", "device", "tmpfs", "o",
                            "size=" + size + ",uid=1000,gid=1000,mode=0700"))
                    .exec();
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
                    .withSecurityOpts(List.of("no-new-privileges:true"));
            String id = docker.createContainerCmd(config.sandbox().image())
                    .withName(name)
                    .withUser("1000:1000")
                    .withWorkingDir(WORKDIR)
                    .withLabels(labels)
                    .withNetworkDisabled(true)
                    // PID 1 reaps what the code leaves behind and, asked from outside, ends every other process.
                    .withCmd(INIT)
                    .withHostConfig(host)
                    .exec().getId();
            docker.startContainerCmd(id).exec();
            return id;
        });
    }

    /**
     * Runs {@code language}'s launcher in /sandbox as the sandbox user and delivers the files and the caller's input
     * on its stdin. The deadline counts from {@code start} and covers the delivery (see {@link #finish}).
     *
     * @param session at the deadline, end the run's processes and keep the container (and its files)
     */
    Outcome run(String containerId, Language language, byte[] files, String stdin, Duration timeout, int outputLimit,
            OutputListener listener, boolean session, long start) {
        return engine.call("sandbox-exec", () -> {
            var created = createExec(containerId, language.launcher(), true);
            CappedOutput out = new CappedOutput(outputLimit, listener);
            ExecStream stream = startStream(created.getId(), out);
            return finish(containerId, created.getId(), stream, out, files, stdin, timeout, start, session);
        });
    }

    /**
     * The language's launcher started ahead of any run, waiting on its stdin for the files. Releasing it saves the
     * engine's exec set-up and the interpreter's own start from the run's round trip. The launcher is fixed; the
     * code never appears in a command line.
     */
    Primed prime(String containerId, Language language) {
        return engine.call("sandbox-prime", () -> {
            var created = createExec(containerId, language.launcher(), true);
            CappedOutput out = new CappedOutput(0, null);
            ExecStream stream = startStream(created.getId(), out);
            // Warm means the interpreter is up and reading: a run released earlier would wait for its start.
            try {
                if (!out.awaitReady(PRIME_TIMEOUT)) {
                    stream.close();
                    throw new IllegalStateException("the " + language.id() + " launcher in " + containerId
                            + " did not get ready within " + PRIME_TIMEOUT);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stream.close();
                throw new IllegalStateException("interrupted while priming a sandbox", e);
            }
            return new Primed(created.getId(), stream, out);
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

    /** A launcher started by {@link #prime}, waiting for its files. */
    record Primed(String execId, ExecStream stream, CappedOutput out) {
    }

    /** Hands the files to a primed launcher, which runs the code; the same deadline and caps as {@link #run}. */
    Outcome release(String containerId, Primed primed, byte[] files, String stdin, Duration timeout, int outputLimit,
            OutputListener listener, long start) {
        return engine.call("sandbox-exec", () -> {
            primed.out().arm(outputLimit, listener);
            return finish(containerId, primed.execId(), primed.stream(), primed.out(), files, stdin, timeout, start,
                    false);
        });
    }

    /**
     * Delivers the input on a thread of its own and waits for the end of the output until the deadline. A process
     * that never reads its stdin blocks the delivery, never the deadline: at the deadline the run is ended (the
     * container killed, or a session's processes) and the closed connection abandons whatever was still being
     * written.
     */
    private Outcome finish(String containerId, String execId, ExecStream stream, CappedOutput out, byte[] files,
            String stdin, Duration timeout, long start, boolean session) {
        Delivery delivery = new Delivery(stream, files, stdin);
        Thread.ofVirtual().name("sandbox-stdin-" + execId.substring(0, Math.min(12, execId.length()))).start(delivery);
        boolean finished;
        try (stream) {
            finished = stream.awaitEnd(Duration.ofNanos(Math.max(0, start + timeout.toNanos() - System.nanoTime())));
            if (!finished) {
                stop(containerId, stream, session);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill(containerId);
            throw new IllegalStateException("interrupted while running code", e);
        }
        long durationMs = (System.nanoTime() - start) / 1_000_000;
        long delivered = delivery.deliveredAt;
        Long code = finished ? docker.inspectExecCmd(execId).exec().getExitCodeLong() : null;
        return new Outcome(out.text(false), out.text(true), code == null ? 137 : code.intValue(), !finished,
                out.truncated(), durationMs, delivered == 0 ? durationMs : (delivered - start) / 1_000_000);
    }

    /**
     * Ends a run at its deadline. A session keeps its container, whose tmpfs holds its files: its processes are
     * ended by the container's init; only when that does not end the run is the container killed.
     */
    private void stop(String containerId, ExecStream stream, boolean session) throws InterruptedException {
        if (session && endProcesses(containerId) && stream.awaitEnd(END_GRACE)) {
            return;
        }
        kill(containerId);
    }

    /**
     * Asks the container's init to end every other process in it (SIGUSR1, which it takes only from outside the
     * container): what a run left running in the background ends with the run. Needs no new process in the
     * container, so it works when the code spent the process limit. False when the container is not running.
     */
    boolean endProcesses(String containerId) {
        try {
            docker.killContainerCmd(containerId).withSignal("SIGUSR1").exec();
            return true;
        } catch (RuntimeException notRunning) {
            return false;
        }
    }

    /**
     * What a launcher reads on stdin: a line with the tar stream's length in bytes, the tar stream, then the caller's
     * input, then the end of input.
     */
    private static final class Delivery implements Runnable {
        private final ExecStream stream;
        private final byte[] files;
        private final String stdin;
        /** {@link System#nanoTime()} when the files were written; 0 until then. */
        volatile long deliveredAt;

        Delivery(ExecStream stream, byte[] files, String stdin) {
            this.stream = stream;
            this.files = files;
            this.stdin = stdin;
        }

        @Override
        public void run() {
            try {
                byte[] length = (files.length + "\n").getBytes(StandardCharsets.US_ASCII);
                byte[] framed = new byte[length.length + files.length];
                System.arraycopy(length, 0, framed, 0, length.length);
                System.arraycopy(files, 0, framed, length.length, files.length);
                stream.write(framed);
                deliveredAt = System.nanoTime();
                if (stdin != null && !stdin.isEmpty()) {
                    stream.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
                stream.closeStdin();
            } catch (IOException e) {
                // The process ended, or was ended at the deadline, without reading all of it: its output still counts.
            }
        }
    }

    /** Whether the kernel's OOM killer struck in this container (cgroup v1 or v2 counter). */
    boolean oomKilled(String containerId) {
        String counters = engine.call("sandbox-exec", () -> {
            var created = createExec(containerId, List.of("cat", "/sys/fs/cgroup/memory/memory.oom_control",
                    "/sys/fs/cgroup/memory.events"), false);
            CappedOutput out = new CappedOutput(4096, null);
            try (ExecStream stream = startStream(created.getId(), out)) {
                stream.awaitEnd(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return out.text(false);
        });
        Matcher m = OOM_KILLS.matcher(counters);
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
        /** What a launcher writes to stderr first, once it waits for the files; never part of a run's output. */
        private static final byte READY = 0x06;
        private final CountDownLatch ready = new CountDownLatch(1);
        private boolean firstOnStderr = true;
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

        /** Whether the launcher said it waits for its files within {@code timeout}. */
        boolean awaitReady(Duration timeout) throws InterruptedException {
            return ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void frame(boolean isErr, byte[] payload) {
            if (isErr && firstOnStderr) {
                firstOnStderr = false;
                if (payload.length > 0 && payload[0] == READY) {
                    ready.countDown();
                    payload = Arrays.copyOfRange(payload, 1, payload.length);
                }
            }
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
