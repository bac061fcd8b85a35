package dev.arcx.imagebuilder.fuzz;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arcx.imagebuilder.testsupport.BuilderTestResource;
import dev.arcx.imagebuilder.testsupport.TestSessions;
import dev.arcx.testkit.callers.Callers;
import dev.arcx.testkit.callers.TestTokens;
import dev.arcx.testkit.engine.TestEngine;
import dev.arcx.testkit.fuzz.FuzzRun;
import dev.arcx.testkit.fuzz.FuzzRun.Caller;
import dev.arcx.testkit.fuzz.OpenApiOperations;
import dev.arcx.testkit.fuzz.OpenApiOperations.Operation;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Hostile requests to every operation of the image-builder's OpenAPI document, anonymously, as a signed-in user and as
 * the administrator, from a fixed seed, a share of them naming a real build and its image: no 5xx, no hang, every
 * refusal a problem+json, no build started and no image added or removed by a refusal, nothing logged at ERROR. An
 * image a request removed is built again before the next. {@code ./arcx bench fuzz} runs more.
 */
@QuarkusTest
@QuarkusTestResource(BuilderTestResource.class)
public class FuzzCoverageTest {
    static final long SEED = 20261207L;

    @TestHTTPResource("/")
    URL base;

    @Test
    void hostileRequestsToEveryOperationAreRefusedCleanly() {
        FuzzRun.Report report = run(base, 40, SEED);
        assertTrue(report.byOperation().size() >= 5, "too few operations fuzzed: " + report.byOperation().keySet());
        // The real build and image were acted on: read, and removed (then built again).
        assertTrue(report.byOperation().get("GET /api/images/builds/{id}").containsKey("real 2xx"), report.summary());
        assertTrue(report.byOperation().get("DELETE /api/images/{image}").containsKey("real 2xx"), report.summary());
        assertEquals(List.of(), report.violations());
    }

    static FuzzRun.Report run(URL base, int perOperation, long seed) {
        String url = base.toString().replaceAll("/$", "");
        // Builds other tests started finish first: their images are no change of the fuzz requests'.
        await().atMost(Duration.ofMinutes(5)).until(() -> Callers.admin().get("/api/images/builds").then().extract()
                .jsonPath().getList("status", String.class).stream()
                .noneMatch(status -> status.equals("queued") || status.equals("running")));
        RealImage real = new RealImage();
        FuzzRun.Report report = new FuzzRun(url, Duration.ofSeconds(20), FuzzCoverageTest::state)
                .run(OpenApiOperations.of(url), callers(real), perOperation, seed);
        System.out.println(report.summary());
        return report;
    }

    /**
     * What a request could change here: the builds it knows of and the images of this run's version (the engine is
     * shared with other runs, whose images come and go).
     */
    public static String state() {
        int builds = Callers.admin().get("/api/images/builds").then().statusCode(200).extract().jsonPath()
                .getList("$").size();
        long images = TestEngine.docker().listImagesCmd().withLabelFilter("dev.arcx.image").exec().stream()
                .filter(image -> image.getRepoTags() != null && java.util.Arrays.stream(image.getRepoTags())
                        .anyMatch(tag -> tag.endsWith(":" + BuilderTestResource.VERSION)))
                .count();
        return builds + " builds, " + images + " images";
    }

    static List<Caller> callers(RealImage real) {
        return List.of(caller("anonymous", Map.of(), null),
                caller("user", Map.of("Authorization", "Bearer " + TestSessions.token()), real),
                caller("admin", Map.of("Authorization", "Bearer " + TestTokens.ADMIN_TOKEN), real));
    }

    private static Caller caller(String name, Map<String, String> headers, RealImage real) {
        return new Caller() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Map<String, String> headers() {
                return headers;
            }

            @Override
            public Map<String, String> realIds(Operation operation) {
                return real == null ? Map.of() : real.ids();
            }

            @Override
            public void restore(Operation operation) {
                real.build();
            }
        };
    }

    /** A real build and the image it made (the js flavor, no add-ons); built again when a request removed it. */
    static final class RealImage {
        private String buildId;
        private String image;

        RealImage() {
            build();
        }

        Map<String, String> ids() {
            return Map.of("id", buildId, "image", image);
        }

        /**
         * Ensures the image, waiting for the build if one runs (the first time, or after a removal). An image found
         * already built by an earlier service run has no build here: it is removed and built again, for a build to
         * name.
         */
        void build() {
            JsonPath started = ensure();
            if (started.getString("buildId") == null && buildId == null) {
                Callers.admin().delete("/api/images/" + started.getString("image")).then().statusCode(204);
                started = ensure();
            }
            image = started.getString("image");
            if (started.getString("buildId") != null) {
                buildId = started.getString("buildId");
                await().atMost(Duration.ofMinutes(2)).until(() -> Callers.admin().get("/api/images/builds/" + buildId)
                        .then().extract().path("status").equals("succeeded"));
            }
        }

        private static JsonPath ensure() {
            return Callers.admin().body(Map.of("flavor", "js")).post("/api/images/builds").then()
                    .statusCode(anyOf(is(200), is(202))).extract().jsonPath();
        }
    }
}
