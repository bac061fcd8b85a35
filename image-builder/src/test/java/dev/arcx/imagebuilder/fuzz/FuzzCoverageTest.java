package dev.arcx.imagebuilder.fuzz;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arcx.common.testkit.FuzzRun;
import dev.arcx.common.testkit.FuzzRun.Caller;
import dev.arcx.common.testkit.OpenApiOperations;
import dev.arcx.imagebuilder.testsupport.BuilderTestResource;
import dev.arcx.imagebuilder.testsupport.Callers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Hostile requests to every operation of the image-builder's OpenAPI document, anonymously, as a signed-in user and as
 * the administrator, from a fixed seed: no 5xx, no hang, every refusal a problem+json, no build started and no image
 * added or removed by a refusal, nothing logged at ERROR. {@code ./arcx bench fuzz} runs more.
 */
@QuarkusTest
@QuarkusTestResource(BuilderTestResource.class)
class FuzzCoverageTest {
    static final long SEED = 20261207L;

    @TestHTTPResource("/")
    URL base;

    @Test
    void hostileRequestsToEveryOperationAreRefusedCleanly() {
        FuzzRun.Report report = run(base, 40, SEED);
        assertTrue(report.byOperation().size() >= 5, "too few operations fuzzed: " + report.byOperation().keySet());
        assertEquals(List.of(), report.violations());
    }

    static FuzzRun.Report run(URL base, int perOperation, long seed) {
        String url = base.toString().replaceAll("/$", "");
        // Builds other tests started finish first: their images are no change of the fuzz requests'.
        await().atMost(Duration.ofMinutes(5)).until(() -> Callers.admin().get("/api/images/builds").then().extract()
                .jsonPath().getList("status", String.class).stream()
                .noneMatch(status -> status.equals("queued") || status.equals("running")));
        FuzzRun.Report report = new FuzzRun(url, Duration.ofSeconds(20), FuzzCoverageTest::state)
                .run(OpenApiOperations.of(url), callers(), perOperation, seed);
        System.out.println(report.summary());
        return report;
    }

    /**
     * What a request could change here: the builds it knows of and the images of this run's version (the engine is
     * shared with other runs, whose images come and go).
     */
    static String state() {
        int builds = Callers.admin().get("/api/images/builds").then().statusCode(200).extract().jsonPath()
                .getList("$").size();
        long images = BuilderTestResource.docker().listImagesCmd().withLabelFilter("dev.arcx.image").exec().stream()
                .filter(image -> image.getRepoTags() != null && java.util.Arrays.stream(image.getRepoTags())
                        .anyMatch(tag -> tag.endsWith(":" + BuilderTestResource.VERSION)))
                .count();
        return builds + " builds, " + images + " images";
    }

    static List<Caller> callers() {
        return List.of(caller("anonymous", Map.of()),
                caller("user", Map.of("Authorization", "Bearer " + Callers.sessionToken())),
                caller("admin", Map.of("Authorization", "Bearer " + Callers.ADMIN_TOKEN)));
    }

    private static Caller caller(String name, Map<String, String> headers) {
        return new Caller() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Map<String, String> headers() {
                return headers;
            }
        };
    }
}
