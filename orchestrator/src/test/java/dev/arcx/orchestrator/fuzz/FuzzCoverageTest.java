package dev.arcx.orchestrator.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arcx.orchestrator.testsupport.SandboxImageResource;
import dev.arcx.orchestrator.testsupport.WorkspaceImageResource;
import dev.arcx.testkit.fuzz.FuzzRun;
import dev.arcx.testkit.fuzz.OpenApiOperations;
import dev.arcx.testkit.fuzz.OpenApiOperations.Operation;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Hostile requests to every operation of the orchestrator's OpenAPI document (so an endpoint added later is fuzzed the
 * day it is written), anonymously, as a user and as an administrator, from a fixed seed, a share of them on real
 * objects ({@link RealObjects}): no 5xx, no hang, every refusal a problem+json, nothing changed by a refusal, nothing
 * logged at ERROR. {@code ./arcx bench fuzz} runs more.
 */
@QuarkusTest
@QuarkusTestResource(WorkspaceImageResource.class)
@QuarkusTestResource(SandboxImageResource.class)
class FuzzCoverageTest {
    static final long SEED = 20261207L;
    static final Duration DEADLINE = Duration.ofSeconds(20);

    @TestHTTPResource("/")
    URL base;

    @Test
    void hostileRequestsToEveryOperationAreRefusedCleanly() throws Exception {
        FuzzRun.Report report = run(base, 12, SEED);
        assertTrue(report.byOperation().size() >= 60, "too few operations fuzzed: " + report.byOperation().keySet());
        // The real ids reach the objects: many operations succeeded on them at least once.
        List<String> actedOnReal = report.byOperation().entrySet().stream()
                .filter(entry -> entry.getValue().containsKey("real 2xx")).map(Map.Entry::getKey).toList();
        assertTrue(actedOnReal.size() >= 25, "too few operations succeeded on real objects: " + actedOnReal);
        assertEquals(List.of(), report.violations());
    }

    static FuzzRun.Report run(URL base, int perOperation, long seed) throws Exception {
        String url = base.toString().replaceAll("/$", "");
        List<Operation> operations = OpenApiOperations.of(url);
        RealObjects objects = new RealObjects();
        OrchestratorCallers callers = new OrchestratorCallers(objects);
        try (OrchestratorState state = new OrchestratorState()) {
            FuzzRun.Report report = new FuzzRun(url, DEADLINE, state::fingerprint)
                    .run(operations, callers.all(), perOperation, seed);
            System.out.println(report.summary());
            return report;
        } finally {
            objects.close(callers.made());
        }
    }
}
