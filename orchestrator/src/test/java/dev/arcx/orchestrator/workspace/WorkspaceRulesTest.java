package dev.arcx.orchestrator.workspace;

import static dev.arcx.orchestrator.testsupport.Api.as;
import static dev.arcx.orchestrator.testsupport.Api.awaitGone;
import static dev.arcx.orchestrator.testsupport.Api.awaitStatus;
import static dev.arcx.orchestrator.testsupport.Api.createWorkspace;
import static dev.arcx.orchestrator.testsupport.Api.deleteWorkspace;
import static dev.arcx.testkit.engine.TestEngine.docker;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.Api.TestUser;
import dev.arcx.orchestrator.testsupport.WorkspaceImageResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every rule a request can break gets a clear 4xx and changes nothing; another user's workspace does not exist. */
@QuarkusTest
@QuarkusTestResource(WorkspaceImageResource.class)
class WorkspaceRulesTest {
    @Inject
    Pool pool;

    @Test
    void badNamesAreRefusedWithTheRule() {
        TestUser user = Api.newUser("pro");
        for (String bad : new String[] {"", "UPPER", "-lead", "trail-", "under_score", "dot.ted", "sp ace",
                "x".repeat(41), "ünï", "a/b", "double--hyphen"}) {
            as(user.token()).body(Map.of("name", bad)).post("/api/workspaces").then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("detail", equalTo(WorkspaceService.NAME_RULE));
        }
        as(user.token()).body(Map.of("resourceTierId", "starter")).post("/api/workspaces").then().statusCode(400)
                .body("detail", equalTo(WorkspaceService.NAME_RULE));
        assertNothingCreatedFor(user);
    }

    @Test
    void badSelectionsAreRefusedWithReasons() {
        TestUser user = Api.newUser("pro");
        expect400(user, Map.of("name", "t1", "resourceTierId", "mega"), "unknown resourceTierId 'mega'");
        expect400(user, Map.of("name", "t2", "flavorId", "cobol"), "unknown flavorId 'cobol'");
        expect400(user, Map.of("name", "t3", "addonIds", List.of("jetpack")), "unknown add-on 'jetpack'");
        expect400(user, Map.of("name", "t4", "resourceTierId", "builder", "addonIds", List.of("gpu")),
                "add-on 'gpu' requires the 'creator' tier or higher, not 'builder'");
        expect400(user, Map.of("name", "t5", "addonIds", List.of("gui", "gui")), "duplicates");
        as(user.token()).body("{\"name\": \"t6\", \"owner\": \"someone\"}").post("/api/workspaces").then()
                .statusCode(400).body("detail", containsString("unknown field 'owner'"));
        as(user.token()).body("{\"name\": ").post("/api/workspaces").then().statusCode(400);
        as(user.token()).body("{\"name\": \"t7\", \"addonIds\": \"gui\"}").post("/api/workspaces").then().statusCode(400);

        // A declared incompatibility is refused too.
        pool.query("INSERT INTO container_addons VALUES ('test-clash', 'Clash', 'test only', '-clash', '0', '0', "
                + "'[]', '{}', NULL, '[\"cloud\"]', 0, 98)").executeAndAwait();
        try {
            expect400(user, Map.of("name", "t8", "addonIds", List.of("cloud", "test-clash")),
                    "add-ons 'cloud' and 'test-clash' cannot be combined");
        } finally {
            pool.query("DELETE FROM container_addons WHERE id = 'test-clash'").executeAndAwait();
        }
        assertNothingCreatedFor(user);
    }

    @Test
    void planQuotaAndNameUniquenessHold() {
        TestUser free = Api.newUser("free");
        String id = createWorkspace(free, "only-one", "starter", List.of());
        as(free.token()).body(Map.of("name", "second")).post("/api/workspaces").then().statusCode(403)
                .body("detail", containsString("your plan allows 1 workspace"));
        assertEquals(1, as(free.token()).get("/api/workspaces").then().extract().jsonPath().getList("id").size());

        TestUser pro = Api.newUser("pro");
        String first = createWorkspace(pro, "same-name", "starter", List.of());
        as(pro.token()).body(Map.of("name", "same-name")).post("/api/workspaces").then().statusCode(409)
                .body("detail", containsString("already have a workspace named 'same-name'"));
        // Names are per user: another user may use the same one.
        String other = createWorkspace(Api.newUser("free"), "same-name", "starter", List.of());
        assertEquals(36, other.length());

        awaitStatus(free, id, "running");
        deleteWorkspace(free, id);
        as(pro.token()).delete("/api/workspaces/" + first).then().statusCode(202);
    }

    @Test
    void anotherUsersWorkspaceAnswers404Everywhere() {
        TestUser owner = Api.newUser("pro");
        TestUser stranger = Api.newUser("pro");
        String id = createWorkspace(owner, "private", "starter", List.of());
        awaitStatus(owner, id, "running");
        String base = "/api/workspaces/" + id;

        as(stranger.token()).get(base).then().statusCode(404).contentType("application/problem+json");
        as(stranger.token()).body(Map.of("resourceTierId", "power")).patch(base).then().statusCode(404);
        as(stranger.token()).post(base + "/start").then().statusCode(404);
        as(stranger.token()).post(base + "/stop").then().statusCode(404);
        as(stranger.token()).post(base + "/restart").then().statusCode(404);
        as(stranger.token()).get(base + "/logs").then().statusCode(404);
        as(stranger.token()).get(base + "/stats").then().statusCode(404);
        as(stranger.token()).delete(base).then().statusCode(404);
        assertEquals(List.of(), as(stranger.token()).get("/api/workspaces").then().extract().jsonPath().getList("id"));
        // Nothing the stranger did had any effect.
        as(owner.token()).get(base).then().statusCode(200).body("status", equalTo("running"))
                .body("resourceTierId", equalTo("starter"));

        as(owner.token()).get("/api/workspaces/" + UUID.randomUUID()).then().statusCode(404);
        as(owner.token()).get("/api/workspaces/not-a-uuid").then().statusCode(404);
        as(owner.token()).delete(base).then().statusCode(202);
        awaitGone(owner, id);
    }

    @Test
    void badUpdatesAndQueriesChangeNothing() {
        TestUser user = Api.newUser("pro");
        String id = createWorkspace(user, "steady", "starter", List.of());
        awaitStatus(user, id, "running");
        String base = "/api/workspaces/" + id;
        as(user.token()).body(Map.of("resourceTierId", "starter", "addonIds", List.of("gpu"))).patch(base).then()
                .statusCode(400).body("detail", containsString("requires the 'creator' tier"));
        as(user.token()).body(Map.of("name", "renamed")).patch(base).then().statusCode(400)
                .body("detail", containsString("unknown field 'name'"));
        as(user.token()).get(base + "/logs?tail=0").then().statusCode(400).body("detail", containsString("tail"));
        as(user.token()).get(base + "/logs?tail=100001").then().statusCode(400);
        as(user.token()).post(base + "/start").then().statusCode(409).body("detail", containsString("already running"));
        as(user.token()).get(base).then().statusCode(200).body("resourceTierId", equalTo("starter"))
                .body("addonIds.size()", equalTo(0));
        as(user.token()).delete(base).then().statusCode(202);
        awaitGone(user, id);
    }

    private static void expect400(TestUser user, Map<String, ?> body, String detail) {
        as(user.token()).body(new HashMap<>(body)).post("/api/workspaces").then().statusCode(400)
                .body("detail", containsString(detail));
    }

    private void assertNothingCreatedFor(TestUser user) {
        assertEquals(0, pool.preparedQuery("SELECT 1 FROM workspaces WHERE owner_id = $1")
                .executeAndAwait(Tuple.of(user.id())).size());
        assertEquals(0, docker().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of("arcx.owner", user.id().toString())).exec().size());
    }
}
