package dev.arcx.imagebuilder.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.arcx.imagebuilder.testsupport.BuilderTestResource;
import dev.arcx.testkit.fuzz.FuzzRun;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The image-builder's share of {@code ./arcx bench fuzz}: five times {@link FuzzCoverageTest}'s requests from a fresh
 * seed (printed; replay with {@code -Dfuzz.seed=}), with counts per status class and per operation.
 */
@QuarkusTest
@QuarkusTestResource(BuilderTestResource.class)
@Tag("bench")
class FuzzBench {
    @TestHTTPResource("/")
    URL base;

    @Test
    void manyHostileRequests() {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        int perOperation = Integer.getInteger("fuzz.per-operation", 200);
        System.out.println("image-builder fuzz: seed " + seed + ", " + perOperation + " per operation and caller");
        FuzzRun.Report report = FuzzCoverageTest.run(base, perOperation, seed);
        assertEquals(List.of(), report.violations(), "seed " + seed);
    }
}
