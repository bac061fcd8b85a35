package dev.arcx.orchestrator.workspace;

import static dev.arcx.orchestrator.testsupport.Api.as;
import static dev.arcx.testkit.engine.TestEngine.docker;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.Api.TestUser;
import dev.arcx.orchestrator.testsupport.WorkspaceImageResource;
import dev.arcx.testkit.engine.TestEngine;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * How much arcx adds to the engine's own time to bring a workspace up: the same image, started through the API and
 * through the engine directly with the same kind of configuration, timed until its IDE port answers. Prints a table
 * and asserts only that every run succeeded: timings depend on the machine. Run with {@code ./arcx bench lifecycle}.
 */
@QuarkusTest
@QuarkusTestResource(WorkspaceImageResource.class)
@Tag("bench")
class WorkspaceLifecycleBench {
    /** Samples per metric; the team plan allows 20 workspaces and the test profile's platform cap is 100. */
    private static final int RUNS = 20;
    /**
     * Workspaces alive at once. Each has a network of its own and the engine's default address pools hold only
     * about 30, shared with whatever else runs on this engine, so the runs go in batches.
     */
    private static final int BATCH = 5;
    private static final Duration POLL = Duration.ofMillis(25);
    private static final Duration RUN_LIMIT = Duration.ofSeconds(60);
    private static final String BASELINE_LABEL = "arcx.bench";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final String baselineRun = UUID.randomUUID().toString();
    private final List<Long> arcxCreate = new ArrayList<>();
    private final List<Long> arcxStart = new ArrayList<>();
    private final List<Long> plainCreate = new ArrayList<>();
    private final List<Long> plainStart = new ArrayList<>();
    /** Workspaces created and not deleted yet, for the cleanup of a failed run. */
    private final List<String> alive = new ArrayList<>();

    @Test
    void arcxAgainstThePlainEngine() {
        TestUser user = Api.newUser("team");
        try {
            // Alternating keeps both sides under the same load of the machine.
            for (int first = 0; first < RUNS; first += BATCH) {
                arcxBatch(user, first);
                plainEngineBatch(first);
            }
        } finally {
            try {
                deleteAlive(user);
            } finally {
                removeBaseline();
            }
        }

        System.out.println();
        System.out.println("Workspace lifecycle, " + RUNS + " runs each, milliseconds (image "
                + TestEngine.workspaceImage() + ")");
        System.out.printf("%-16s %9s %9s %11s %11s %10s %10s%n", "metric", "arcx p50", "arcx p95", "docker p50",
                "docker p95", "ratio p50", "ratio p95");
        row("create→running", arcxCreate, plainCreate);
        row("stop→start", arcxStart, plainStart);
        System.out.println();

        assertEquals(RUNS, arcxCreate.size());
        assertEquals(RUNS, arcxStart.size());
        assertEquals(RUNS, plainCreate.size());
        assertEquals(RUNS, plainStart.size());
    }

    private void arcxBatch(TestUser user, int first) {
        List<String> batch = new ArrayList<>();
        for (int i = first; i < first + BATCH; i++) {
            long t0 = System.nanoTime();
            String id = Api.createWorkspace(user, "bench-" + i, "starter", List.of());
            alive.add(id);
            batch.add(id);
            arcxCreate.add(untilTrue(t0, () -> statusIs(user, id, "running")));
        }
        // The test image's PID 1 ignores SIGTERM, so every stop takes the whole stop timeout: stop them together.
        for (String id : batch) {
            as(user.token()).post("/api/workspaces/" + id + "/stop").then().statusCode(202);
        }
        for (String id : batch) {
            untilTrue(System.nanoTime(), () -> statusIs(user, id, "stopped"));
        }
        for (String id : batch) {
            long t0 = System.nanoTime();
            as(user.token()).post("/api/workspaces/" + id + "/start").then().statusCode(202);
            arcxStart.add(untilTrue(t0, () -> statusIs(user, id, "running")));
        }
        deleteAlive(user);
    }

    private void plainEngineBatch(int first) {
        List<String> batch = new ArrayList<>();
        for (int i = first; i < first + BATCH; i++) {
            String name = "arcx-bench-" + baselineRun.substring(0, 8) + "-" + i;
            batch.add(name);
            long t0 = System.nanoTime();
            createAndStartLikeAWorkspace(name, Map.of(BASELINE_LABEL, baselineRun));
            plainCreate.add(untilTrue(t0, () -> ideAnswers(name)));
        }
        stopAll(batch);
        for (String name : batch) {
            long t0 = System.nanoTime();
            docker().startContainerCmd(name).exec();
            plainStart.add(untilTrue(t0, () -> ideAnswers(name)));
        }
        removeBaseline();
    }

    private void deleteAlive(TestUser user) {
        for (String id : alive) {
            as(user.token()).delete("/api/workspaces/" + id).then().statusCode(202);
        }
        alive.forEach(id -> Api.awaitGone(user, id));
        alive.clear();
    }

    /**
     * What the orchestrator asks of the engine for a workspace (see DockerEngine#createContainer): its own internal
     * network and volume, an unprivileged user, no capability, the same limits.
     */
    private static void createAndStartLikeAWorkspace(String name, Map<String, String> labels) {
        docker().createNetworkCmd().withName(name).withDriver("bridge").withInternal(true).withLabels(labels).exec();
        docker().createVolumeCmd().withName(name + "-home").withLabels(labels).exec();
        HostConfig host = HostConfig.newHostConfig()
                .withNanoCPUs(1_000_000_000L)
                .withMemory(2L << 30)
                .withMemorySwap(2L << 30)
                .withMemoryReservation(1L << 30)
                .withPidsLimit(512L)
                .withSecurityOpts(List.of("no-new-privileges:true"))
                .withCapDrop(Capability.ALL)
                .withTmpFs(Map.of("/tmp", "rw,noexec,nosuid,nodev,size=1g"))
                .withMounts(List.of(new Mount().withType(MountType.VOLUME).withSource(name + "-home")
                        .withTarget("/home/developer")))
                .withNetworkMode(name);
        String id = docker().createContainerCmd(TestEngine.workspaceImage()).withName(name).withHostName(name)
                .withUser("1000:1000").withLabels(labels).withExposedPorts(ExposedPort.tcp(8080))
                .withHostConfig(host).exec().getId();
        docker().startContainerCmd(id).exec();
    }

    private static void stopAll(List<String> containers) {
        try (ExecutorService stopping = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> stops = containers.stream()
                    .<Future<?>>map(c -> stopping.submit(() -> docker().stopContainerCmd(c).withTimeout(10).exec()))
                    .toList();
            for (Future<?> stop : stops) {
                stop.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a baseline container did not stop", e.getCause());
        }
    }

    /** The container, its network and its volume share one name, like a workspace's. */
    private boolean ideAnswers(String name) {
        var settings = docker().inspectContainerCmd(name).exec().getNetworkSettings().getNetworks().get(name);
        if (settings == null || settings.getIpAddress() == null || settings.getIpAddress().isEmpty()) {
            return false;
        }
        try {
            http.send(HttpRequest.newBuilder(URI.create("http://" + settings.getIpAddress() + ":8080/"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return true;
        } catch (IOException refused) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean statusIs(TestUser user, String id, String status) {
        var response = Api.get(user, id).statusCode(200).extract();
        String now = response.path("status");
        if ("failed".equals(now)) {
            throw new AssertionError("workspace " + id + " failed: " + response.path("statusReason"));
        }
        return status.equals(now);
    }

    /** Polls until the condition holds; answers the milliseconds from {@code startNanos} to the poll that saw it. */
    private static long untilTrue(long startNanos, BooleanSupplier condition) {
        AtomicLong seenAt = new AtomicLong();
        await().atMost(RUN_LIMIT).pollDelay(Duration.ZERO).pollInterval(POLL).until(() -> {
            boolean holds = condition.getAsBoolean();
            seenAt.set(System.nanoTime());
            return holds;
        });
        return (seenAt.get() - startNanos) / 1_000_000;
    }

    private void removeBaseline() {
        TestEngine.removeLabelled(BASELINE_LABEL, baselineRun);
    }


    private static void row(String metric, List<Long> arcx, List<Long> plain) {
        long arcx50 = percentile(arcx, 50);
        long arcx95 = percentile(arcx, 95);
        long plain50 = percentile(plain, 50);
        long plain95 = percentile(plain, 95);
        System.out.printf("%-16s %9d %9d %11d %11d %10.2f %10.2f%n", metric, arcx50, arcx95, plain50, plain95,
                (double) arcx50 / Math.max(1, plain50), (double) arcx95 / Math.max(1, plain95));
    }

    /** Nearest-rank percentile. */
    private static long percentile(List<Long> samples, int p) {
        List<Long> sorted = samples.stream().sorted().toList();
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
