package dev.arcx.orchestrator.sandbox;

import static dev.arcx.orchestrator.testsupport.Api.as;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.Api.TestUser;
import dev.arcx.orchestrator.testsupport.SandboxImage;
import dev.arcx.orchestrator.testsupport.WorkspaceImageResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Round trip of {@code print(1)} in python through {@code POST /api/exec}, sequential and 10 at a time, next to
 * {@code docker run --rm --network none} of the same image in the same run. Goal: arcx p50 ≤ 0.3× the baseline.
 * Prints the figures; asserts only that every run succeeded. Run with {@code ./arcx bench sandbox}.
 */
@QuarkusTest
@TestProfile(SandboxBench.WarmEnough.class)
@QuarkusTestResource(WorkspaceImageResource.class)
@QuarkusTestResource(SandboxImage.Resource.class)
@Tag("bench")
class SandboxBench {
    private static final int SEQUENTIAL = 40;
    private static final int CONCURRENT = 10;
    private static final int CONCURRENT_ROUNDS = 6;

    /** A pool deep enough for 10 concurrent runs, and limits that do not refuse the benchmark's own load. */
    public static class WarmEnough implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("arcx.sandbox.pool-size", String.valueOf(CONCURRENT + 2),
                    "arcx.sandbox.limits.max-concurrent-runs", "50",
                    "arcx.sandbox.limits.runs-per-minute", "100000");
        }
    }

    @Inject
    SandboxPool pool;

    @Test
    void printOneRoundTrip() throws Exception {
        TestUser user = Api.newUser("pro");
        awaitPool();
        // Per mode, then phase: where the time of arcx's runs went.
        Map<String, Map<String, List<Long>>> phases = new java.util.concurrent.ConcurrentHashMap<>();
        String[] mode = {"warm-up"};
        Callable<Long> viaArcx = () -> timed(() -> {
            var result = as(user.token()).body(Map.of("language", "python", "code", "print(1)")).post("/api/exec")
                    .then().statusCode(200).extract().jsonPath();
            assertEquals("1\n", result.getString("stdout"));
            for (String phase : List.of("poolTakeMs", "writeMs", "execMs", "collectMs")) {
                phases.computeIfAbsent(mode[0], k -> new java.util.concurrent.ConcurrentHashMap<>())
                        .computeIfAbsent(phase, k -> Collections.synchronizedList(new ArrayList<>()))
                        .add(result.getLong("timings." + phase));
            }
        });
        Callable<Long> viaDockerRun = () -> timed(() -> assertEquals("1\n", dockerRun()));

        // Warm both paths once (JIT, page cache) before measuring.
        viaArcx.call();
        viaDockerRun.call();

        mode[0] = "sequential";
        List<Long> arcxSeq = sequential(viaArcx);
        List<Long> dockerSeq = sequential(viaDockerRun);
        mode[0] = "10 concurrent";
        List<Long> arcxPar = concurrent(viaArcx);
        List<Long> dockerPar = concurrent(viaDockerRun);

        System.out.println();
        System.out.printf("Sandbox round trip of print(1) in python, milliseconds (image %s)%n", SandboxImage.tag());
        System.out.printf("%-16s %5s %9s %9s %9s %11s %11s %11s %9s%n", "mode", "runs", "arcx p50", "arcx p95",
                "arcx p99", "docker p50", "docker p95", "docker p99", "p50 ratio");
        row("sequential", arcxSeq, dockerSeq);
        row("10 concurrent", arcxPar, dockerPar);
        System.out.println("goal: p50 ratio (arcx / docker run) <= 0.30");
        for (String measured : List.of("sequential", "10 concurrent")) {
            Map<String, List<Long>> p = phases.get(measured);
            System.out.printf("where arcx's time goes (%s, p50 ms): pool take %d, write (archive API) %d, exec %d, "
                    + "collect %d%n", measured, pct(p.get("poolTakeMs"), 50), pct(p.get("writeMs"), 50),
                    pct(p.get("execMs"), 50), pct(p.get("collectMs"), 50));
        }
        System.out.println();
    }

    private void awaitPool() {
        await().atMost(Duration.ofMinutes(2)).until(() -> pool.readyCount(Language.PYTHON) >= CONCURRENT);
    }

    private List<Long> sequential(Callable<Long> call) throws Exception {
        List<Long> samples = new ArrayList<>();
        for (int i = 0; i < SEQUENTIAL; i++) {
            samples.add(call.call());
            awaitPool();
        }
        return samples;
    }

    private List<Long> concurrent(Callable<Long> call) throws Exception {
        List<Long> samples = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(CONCURRENT)) {
            for (int round = 0; round < CONCURRENT_ROUNDS; round++) {
                awaitPool();
                List<Future<Long>> futures = new ArrayList<>();
                for (int i = 0; i < CONCURRENT; i++) {
                    futures.add(threads.submit(call));
                }
                for (Future<Long> f : futures) {
                    samples.add(f.get());
                }
            }
        }
        return samples;
    }

    private static String dockerRun() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("docker", "run", "--rm", "--network", "none", SandboxImage.tag(),
                "python3", "-c", "print(1)").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    private interface Step {
        void run() throws Exception;
    }

    private static long timed(Step step) throws Exception {
        long start = System.nanoTime();
        step.run();
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static void row(String mode, List<Long> arcx, List<Long> docker) {
        System.out.printf("%-16s %5d %9d %9d %9d %11d %11d %11d %9.2f%n", mode, arcx.size(), pct(arcx, 50),
                pct(arcx, 95), pct(arcx, 99), pct(docker, 50), pct(docker, 95), pct(docker, 99),
                (double) pct(arcx, 50) / pct(docker, 50));
    }

    private static long pct(List<Long> samples, int percentile) {
        List<Long> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }
}
