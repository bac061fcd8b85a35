package dev.arcx.imagebuilder.fuzz;

import static dev.arcx.testkit.callers.Callers.admin;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.arcx.imagebuilder.testsupport.BuilderTestResource;
import dev.arcx.testkit.fuzz.ErrorLog;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared JSON rules at the image-builder's one JSON endpoint: refused with 400 naming the field, no build. */
@QuarkusTest
@QuarkusTestResource(BuilderTestResource.class)
class HostileInputTest {

    @Test
    void aKeyGivenTwiceANulAndAWrongTypeAreRefusedNamingTheField() {
        String before = FuzzCoverageTest.state();
        try (ErrorLog errors = ErrorLog.open()) {
            admin().body("{\"flavor\":\"js\",\"flavor\":\"python\"}").post("/api/images/builds").then()
                    .statusCode(400).contentType("application/problem+json")
                    .body("detail", containsString("Duplicate field 'flavor'"));
            admin().body("{\"flavor\":\"js\\u0000\"}").post("/api/images/builds").then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("detail", allOf(containsString("'flavor'"), containsString("NUL")));
            admin().body("{\"flavor\":\"js\",\"addons\":[\"\\ud800\"]}").post("/api/images/builds").then()
                    .statusCode(400).body("detail", allOf(containsString("addons[0]"), containsString("surrogate")));
            admin().body("{\"flavor\":1}").post("/api/images/builds").then().statusCode(400)
                    .body("detail", containsString("'flavor' must be a string"));
            admin().body("{\"flavor\":\"js\",\"addons\":\"gui\"}").post("/api/images/builds").then().statusCode(400)
                    .body("detail", containsString("'addons'"));
            admin().urlEncodingEnabled(false).get("/api/images/builds/%00").then().statusCode(400)
                    .contentType("application/problem+json");
            admin().urlEncodingEnabled(false).delete("/api/images/a%00b").then().statusCode(400)
                    .contentType("application/problem+json");
            // Names the engine does not take for image references at all are no image either.
            for (String name : List.of("-1", "%20", "%E2%80%AE", "UPPER")) {
                admin().urlEncodingEnabled(false).delete("/api/images/" + name).then().statusCode(404)
                        .contentType("application/problem+json");
            }
            assertEquals(List.of(), errors.since(0));
        }
        assertEquals(before, FuzzCoverageTest.state());
    }
}
