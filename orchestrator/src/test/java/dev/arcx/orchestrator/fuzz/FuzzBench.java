package dev.arcx.orchestrator.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.arcx.orchestrator.testsupport.SandboxImageResource;
import dev.arcx.orchestrator.testsupport.WorkspaceImageResource;
import dev.arcx.testkit.fuzz.FuzzRun;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The fuzz suite's larger run ({@code ./arcx bench fuzz}): five times the requests of {@link FuzzCoverageTest}, from a
 * fresh seed each time (printed, so a failure can be replayed with {@code -Dfuzz.seed=}), with counts per status
 * class and per operation.
 */
@QuarkusTest
@QuarkusTestResource(WorkspaceImageResource.class)
@QuarkusTestResource(SandboxImageResource.class)
@Tag("bench")
class FuzzBench {
    @TestHTTPResource("/")
    URL base;

    @Test
    void manyHostileRequests() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        int perOperation = Integer.getInteger("fuzz.per-operation", 60);
        System.out.println("orchestrator fuzz: seed " + seed + ", " + perOperation + " per operation and caller");
        FuzzRun.Report report = FuzzCoverageTest.run(base, perOperation, seed);
        assertEquals(java.util.List.of(), report.violations(), "seed " + seed);
    }
}
