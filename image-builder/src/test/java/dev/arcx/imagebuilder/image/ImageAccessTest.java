package dev.arcx.imagebuilder.image;

import static dev.arcx.imagebuilder.testsupport.BuilderTestResource.VERSION;
import static dev.arcx.testkit.callers.Callers.admin;
import static dev.arcx.testkit.callers.Callers.anonymous;
import static dev.arcx.imagebuilder.testsupport.TestSessions.user;
import static dev.arcx.testkit.engine.TestEngine.docker;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arcx.common.auth.SessionCookies;
import dev.arcx.imagebuilder.build.SelectionRefusalTest;
import dev.arcx.imagebuilder.testsupport.BuilderTestResource;
import dev.arcx.imagebuilder.testsupport.TestSessions;
import dev.arcx.testkit.TestDatabases;
import dev.arcx.testkit.TestSettings;
import dev.arcx.testkit.callers.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Who may do what, listing and removing images, and the recipes' rules applied to selections. */
@QuarkusTest
@QuarkusTestResource(BuilderTestResource.class)
class ImageAccessTest {

    static String built(String flavor, String... addons) {
        JsonPath started = admin().body(Map.of("flavor", flavor, "addons", List.of(addons)))
                .post("/api/images/builds").then().extract().jsonPath();
        if (started.getString("buildId") != null) {
            await().atMost(Duration.ofMinutes(2)).until(() -> admin().get("/api/images/builds/"
                    + started.getString("buildId")).then().extract().path("status").equals("succeeded"));
        }
        return started.getString("image");
    }

    @Test
    void everyEndpointWantsAToken() {
        anonymous().body(Map.of("flavor", "js")).post("/api/images/builds").then().statusCode(401)
                .contentType("application/problem+json");
        anonymous().get("/api/images").then().statusCode(401);
        anonymous().get("/api/images/builds").then().statusCode(401);
        anonymous().delete("/api/images/arcx-js:" + VERSION).then().statusCode(401);
        io.restassured.RestAssured.given().auth().oauth2("s1.forged.token").get("/api/images").then().statusCode(401);
        io.restassured.RestAssured.given().auth().oauth2("nearly-" + TestTokens.ADMIN_TOKEN)
                .get("/api/images").then().statusCode(401);
    }

    /** What everyone builds and how (the list, the logs) is the administrator's; a build's progress is anyone's. */
    @Test
    void onlyTheAdministratorListsBuildsAndReadsTheirLogs() {
        String someBuild = java.util.UUID.randomUUID().toString();
        user().get("/api/images/builds").then().statusCode(403).contentType("application/problem+json");
        user().accept("text/event-stream").get("/api/images/builds/" + someBuild + "/log").then().statusCode(403);
        user().get("/api/images/builds/" + someBuild).then().statusCode(404);
        admin().get("/api/images/builds").then().statusCode(200);
        admin().accept("text/event-stream").get("/api/images/builds/" + someBuild + "/log").then().statusCode(404);
    }

    @Test
    void theSessionCookieIsASessionTokenHereToo() {
        String session = TestSessions.token();
        io.restassured.RestAssured.given().cookie(SessionCookies.SESSION, session).get("/api/images").then()
                .statusCode(200);
        String tampered = session.substring(0, session.length() - 2) + (session.endsWith("A") ? "BB" : "AA");
        io.restassured.RestAssured.given().cookie(SessionCookies.SESSION, tampered).get("/api/images").then()
                .statusCode(401);
        // The cookie carries sessions only: the administrator's token there is nobody.
        io.restassured.RestAssured.given().cookie(SessionCookies.SESSION, TestTokens.ADMIN_TOKEN).get("/api/images")
                .then().statusCode(401);
        // A state change with the cookie needs the CSRF token (or a same-origin page); the refusal comes first.
        io.restassured.RestAssured.given().cookie(SessionCookies.SESSION, session).contentType("application/json")
                .body(Map.of("flavor", "nope")).post("/api/images/builds").then().statusCode(403)
                .contentType("application/problem+json").body("detail", containsString("X-CSRF-Token"));
        io.restassured.RestAssured.given().cookie(SessionCookies.SESSION, session)
                .header(SessionCookies.CSRF_HEADER, SessionCookies.csrfToken(session)).contentType("application/json")
                .body(Map.of("flavor", "nope")).post("/api/images/builds").then().statusCode(400);
    }

    @Test
    void imagesAreListedWithTheirRecipeHashAndOnlyTheAdministratorRemovesThem() {
        String image = built("js", "gui");
        JsonPath listed = user().get("/api/images").then().statusCode(200).extract().jsonPath();
        Map<String, Object> entry = listed.getMap("find { it.image == '" + image + "' }");
        assertEquals("addon", entry.get("kind"));
        assertEquals("gui", entry.get("layer"));
        assertTrue(((Number) entry.get("sizeBytes")).longValue() > 0);
        assertEquals(docker().inspectImageCmd(image).exec().getConfig().getLabels().get("dev.arcx.recipe-hash"),
                entry.get("recipeHash"));
        // A user may not remove images.
        user().delete("/api/images/" + image).then().statusCode(403);
        // Not while a container uses it.
        String container = docker().createContainerCmd(image).withCmd("true").exec().getId();
        try {
            admin().delete("/api/images/" + image).then().statusCode(409)
                    .body("detail", containsString("used by 1 container"));
        } finally {
            docker().removeContainerCmd(container).withForce(true).exec();
        }
        admin().delete("/api/images/" + image).then().statusCode(204);
        user().get("/api/images").then().body("image", not(hasItem(image)));
        admin().delete("/api/images/" + image).then().statusCode(404);
        // Only images arcx built can be removed through it.
        admin().delete("/api/images/" + BuilderTestResource.rootImage()).then().statusCode(404);
        docker().inspectImageCmd(BuilderTestResource.rootImage()).exec();
    }

    /** Readiness is what the service needs: NATS and the engine. It keeps no database, so none is checked. */
    @Test
    void readinessChecksNatsAndTheEngineOnly() {
        List<String> checks = anonymous().get("/q/health/ready").then().statusCode(200).extract().jsonPath()
                .getList("checks.name");
        assertEquals(List.of("docker", "nats"), checks.stream().sorted().toList());
    }

    @Test
    void incompatibleAddOnsAreRefusedBeforeAnythingIsBuilt() {
        SelectionRefusalTest.declaring("addons/cloud", "suffix=-cloud\nincompatible-with=gui\n", () ->
                admin().body(Map.of("flavor", "js", "addons", List.of("gui", "cloud"))).post("/api/images/builds")
                        .then().statusCode(400).body("detail", containsString("'cloud' cannot be combined with 'gui'")));
    }
}
