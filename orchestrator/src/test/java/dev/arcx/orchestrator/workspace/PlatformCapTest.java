package dev.arcx.orchestrator.workspace;

import static dev.arcx.orchestrator.testsupport.Api.as;
import static dev.arcx.orchestrator.testsupport.Api.awaitStatus;
import static dev.arcx.orchestrator.testsupport.Api.deleteWorkspace;
import static dev.arcx.orchestrator.testsupport.Api.createWorkspace;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.Api.TestUser;
import dev.arcx.orchestrator.testsupport.WorkspaceImageResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** MAX_CONCURRENT_WORKSPACES caps what runs on the platform, whoever asks, however concurrently. */
@QuarkusTest
@TestProfile(PlatformCapTest.CapOfTwo.class)
@QuarkusTestResource(WorkspaceImageResource.class)
class PlatformCapTest {

    public static class CapOfTwo implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("arcx.workspaces.max-concurrent", "2");
        }
    }

    @Test
    void theCapHoldsAcrossUsersAndConcurrentRequests() {
        TestUser alice = Api.newUser("team");
        TestUser bob = Api.newUser("team");
        // Six concurrent creations for two slots: exactly two win.
        List<Integer> statuses = IntStream.range(0, 6).mapToObj(i -> CompletableFuture.supplyAsync(() ->
                as((i % 2 == 0 ? alice : bob).token()).body(Map.of("name", "race-" + i)).post("/api/workspaces")
                        .then().extract().statusCode())).toList().stream().map(CompletableFuture::join).toList();
        assertEquals(2, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
        assertEquals(4, statuses.stream().filter(s -> s == 409).count(), statuses.toString());

        as(bob.token()).body(Map.of("name", "one-more")).post("/api/workspaces").then().statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("limit of 2 concurrently running workspaces"));

        List<String> aliceIds = as(alice.token()).get("/api/workspaces").then().extract().jsonPath().getList("id");
        List<String> bobIds = as(bob.token()).get("/api/workspaces").then().extract().jsonPath().getList("id");
        assertEquals(2, aliceIds.size() + bobIds.size());
        TestUser holder = aliceIds.isEmpty() ? bob : alice;
        String held = (aliceIds.isEmpty() ? bobIds : aliceIds).get(0);
        awaitStatus(holder, held, "running");

        // A stopped workspace frees its slot, and cannot start again while the platform is full.
        as(holder.token()).post("/api/workspaces/" + held + "/stop").then().statusCode(202);
        awaitStatus(holder, held, "stopped");
        String third = createWorkspace(bob, "takes-slot", "starter", List.of());
        as(holder.token()).post("/api/workspaces/" + held + "/start").then().statusCode(409)
                .body("detail", containsString("limit of 2"));
        deleteWorkspace(bob, third);
        as(holder.token()).post("/api/workspaces/" + held + "/start").then().statusCode(202);
        awaitStatus(holder, held, "running");

        for (TestUser user : List.of(alice, bob)) {
            for (String id : as(user.token()).get("/api/workspaces").then().extract().jsonPath().<String>getList("id")) {
                deleteWorkspace(user, id);
            }
        }
    }
}
