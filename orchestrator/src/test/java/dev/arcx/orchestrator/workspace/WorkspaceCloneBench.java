package dev.arcx.orchestrator.workspace;

import static dev.arcx.orchestrator.testsupport.Api.as;
import static dev.arcx.testkit.engine.TestEngine.exec;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.Api.TestUser;
import dev.arcx.orchestrator.testsupport.WorkspaceImageResource;
import dev.arcx.testkit.engine.TestEngine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Cloning a running workspace that holds 100 MB of files (random data in five files, so nothing compresses or
 * deduplicates): seconds until each clone is running, for 1 and for 5 clones, with the split by phase, next to the
 * seed's 5–10 s per clone. Prints a table and asserts only that every clone came up. Run with
 * {@code ./arcx bench clone}.
 */
@QuarkusTest
@QuarkusTestResource(WorkspaceImageResource.class)
@Tag("bench")
class WorkspaceCloneBench {
    private static final int RUNS = 3;
    private static final List<Integer> COUNTS = List.of(1, 5);
    private static final List<String> PHASES = List.of("snapshot", "copy", "containers", "snapshot-removal");
    private static final String PAUSED = "paused";
    private static final double SEED_LOW = 5;
    private static final double SEED_HIGH = 10;

    @Inject
    MeterRegistry metrics;

    @Test
    void cloneARunningWorkspaceWith100MegabytesOfFiles() {
        TestUser user = Api.newUser("team");
        String source = Api.createWorkspace(user, "bench-source", "starter", List.of());
        Api.awaitStatus(user, source, "running");
        assertEquals(0, exec("arcx-ws-" + source, "1000:1000", "sh", "-c", "mkdir -p /home/developer/workspace/data "
                + "&& for i in 1 2 3 4 5; do head -c 20971520 /dev/urandom > /home/developer/workspace/data/f$i; done")
                .exitCode());

        List<String> lines = new ArrayList<>();
        try {
            for (int count : COUNTS) {
                List<Double> latencies = new ArrayList<>();
                List<Double> walls = new ArrayList<>();
                Map<String, Double> phases = new HashMap<>();
                for (int run = 0; run < RUNS; run++) {
                    Map<String, Double> before = phaseTotals();
                    long t0 = System.nanoTime();
                    List<String> clones = as(user.token()).body(Map.of("count", count))
                            .post("/api/workspaces/" + source + "/clone").then().statusCode(202).extract().jsonPath()
                            .getList("id");
                    Map<String, Double> runningAfter = new HashMap<>();
                    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(25)).until(() -> {
                        for (String id : clones) {
                            if (!runningAfter.containsKey(id) && running(user, id)) {
                                runningAfter.put(id, seconds(System.nanoTime() - t0));
                            }
                        }
                        return runningAfter.size() == clones.size();
                    });
                    latencies.addAll(runningAfter.values());
                    walls.add(runningAfter.values().stream().mapToDouble(d -> d).max().orElseThrow());
                    phaseTotals().forEach((phase, total) -> phases.merge(phase, total - before.get(phase), Double::sum));
                    clones.forEach(id -> Api.deleteWorkspace(user, id));
                }
                double wall = median(walls);
                double perClone = wall / count;
                StringBuilder split = new StringBuilder();
                double inCloner = 0;
                for (String phase : PHASES) {
                    double mean = phases.get(phase) / RUNS;
                    inCloner += mean;
                    split.append(String.format(" %s %.2f", phase, mean));
                }
                split.append(String.format(" start %.2f; source paused %.2f", Math.max(0, wall - inCloner),
                        phases.get(PAUSED) / RUNS));
                lines.add(String.format("%5d %10.2f %10.2f %10.2f %12.2f %8.2f|%.2f |%s", count, wall, perClone,
                        median(latencies), latencies.stream().mapToDouble(d -> d).max().orElseThrow(),
                        perClone / SEED_LOW, perClone / SEED_HIGH, split));
            }
        } finally {
            Api.deleteAllWorkspaces(user);
        }

        System.out.println();
        System.out.println("Clone of a running workspace with 100 MB of files, median of " + RUNS + " runs, seconds "
                + "(image " + TestEngine.workspaceImage() + "); seed: 5-10 s per clone");
        System.out.printf("%5s %10s %10s %10s %12s %14s | %s%n", "count", "all running", "per clone",
                "p50 clone", "slowest clone", "ratio to 5|10s", "mean split per request (s); start = rest");
        lines.forEach(System.out::println);
        System.out.println();
    }

    private static boolean running(TestUser user, String id) {
        var response = Api.get(user, id).statusCode(200).extract();
        if ("failed".equals(response.path("status"))) {
            throw new AssertionError("clone " + id + " failed: " + response.path("statusReason"));
        }
        return "running".equals(response.path("status"));
    }

    /** Total seconds spent so far in each phase of the cloner, and with the source paused. */
    private Map<String, Double> phaseTotals() {
        Map<String, Double> totals = new HashMap<>();
        for (String phase : PHASES) {
            Timer timer = metrics.find("arcx_workspace_clone_phase_seconds").tag("phase", phase).timer();
            totals.put(phase, timer == null ? 0 : timer.totalTime(TimeUnit.SECONDS));
        }
        Timer paused = metrics.find("arcx_workspace_clone_source_paused_seconds").timer();
        totals.put(PAUSED, paused == null ? 0 : paused.totalTime(TimeUnit.SECONDS));
        return totals;
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get((sorted.size() - 1) / 2);
    }
}
