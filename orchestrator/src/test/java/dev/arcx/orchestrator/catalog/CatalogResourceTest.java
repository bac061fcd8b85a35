package dev.arcx.orchestrator.catalog;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import dev.arcx.orchestrator.testsupport.WorkspaceImageResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** The public catalog serves exactly the seed's rows. */
@QuarkusTest
@QuarkusTestResource(WorkspaceImageResource.class)
class CatalogResourceTest {
    @Inject
    Pool pool;

    @Test
    void tiersAreTheSeedsFourInOrderWithoutAuthentication() {
        given().get("/api/resource-tiers").then().statusCode(200)
                .body("id", contains("starter", "builder", "creator", "power"))
                .body("cpuLimit", contains("1", "2", "4", "8"))
                .body("memoryLimit", contains("2Gi", "4Gi", "8Gi", "16Gi"))
                .body("storageGb", contains(20, 30, 50, 100))
                .body("monthlyPriceCents", contains(0, 1000, 2500, 5000))
                .body("isDefault", contains(true, false, false, false));
        given().get("/api/resource-tiers/creator").then().statusCode(200).body("name", equalTo("Creator"));
        given().get("/api/resource-tiers/huge").then().statusCode(404)
                .contentType("application/problem+json").body("detail", containsString("huge"));
    }

    @Test
    void flavorsAreTheSeedsSixWithFullstackDefault() {
        given().get("/api/flavors").then().statusCode(200)
                .body("id", contains("js", "python", "go", "rust", "fullstack", "polyglot"))
                .body("baseImage", contains("arcx-js", "arcx-python", "arcx-go", "arcx-rust", "arcx-fullstack", "arcx-polyglot"))
                .body("estimatedSizeMb", contains(800, 1200, 900, 1100, 1800, 3000))
                .body("find { it.isDefault }.id", equalTo("fullstack"));
        given().get("/api/flavors/python").then().statusCode(200)
                .body("languages", contains("Python")).body("tools", hasItem("uv"));
        given().get("/api/flavors/cobol").then().statusCode(404);
    }

    @Test
    void addonsCarryTheSeedsResourcesPortsEnvAndRules() {
        given().get("/api/addons").then().statusCode(200)
                .body("id", contains("gui", "code-server", "gpu", "databases", "cloud"))
                .body("imageSuffix", contains("-gui", "-code", "-gpu", "-db", "-cloud"))
                .body("extraCpu", contains("2", "1", "0", "0", "0"))
                .body("extraMemory", contains("4Gi", "2Gi", "0", "1Gi", "512Mi"))
                .body("monthlyPriceCents", contains(1000, 500, 3000, 500, 0));
        given().get("/api/addons/gui").then().statusCode(200)
                .body("extraPorts", contains(6080)).body("extraEnv.DISPLAY", equalTo(":1"))
                .body("requiresTier", nullValue());
        given().get("/api/addons/gpu").then().statusCode(200).body("requiresTier", equalTo("creator"))
                .body("extraEnv.NVIDIA_VISIBLE_DEVICES", equalTo("all"));
        given().get("/api/addons/code-server").then().body("extraPorts", contains(8080));
        given().get("/api/addons/nope").then().statusCode(404);
    }

    @Test
    void compatibilityExplainsTierRequirementsAndConflicts() {
        given().get("/api/addons/gpu/compatibility?tier=starter").then().statusCode(200)
                .body("compatible", equalTo(false))
                .body("problems[0]", equalTo("add-on 'gpu' requires the 'creator' tier or higher, not 'starter'"));
        given().get("/api/addons/gpu/compatibility?tier=power&addons=gui,code-server").then().statusCode(200)
                .body("compatible", equalTo(true)).body("problems.size()", equalTo(0));
        given().get("/api/addons/gpu/compatibility?tier=mega").then().statusCode(400)
                .body("detail", containsString("unknown tier 'mega'"));
        given().get("/api/addons/gui/compatibility?addons=nope").then().statusCode(400)
                .body("detail", containsString("unknown add-on 'nope'"));
        given().get("/api/addons/nope/compatibility").then().statusCode(404);

        // The seed lists no incompatible pair; a catalog row that declares one is honoured.
        pool.query("INSERT INTO container_addons VALUES ('test-loner', 'Loner', 'test only', '-loner', '0', '0', "
                + "'[]', '{}', NULL, '[\"gui\"]', 0, 99)").executeAndAwait();
        try {
            given().get("/api/addons/gui/compatibility?addons=test-loner").then().statusCode(200)
                    .body("compatible", equalTo(false))
                    .body("problems[0]", equalTo("add-ons 'test-loner' and 'gui' cannot be combined"));
        } finally {
            pool.query("DELETE FROM container_addons WHERE id = 'test-loner'").executeAndAwait();
        }
    }
}
