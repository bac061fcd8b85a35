package dev.arcx.orchestrator.testsupport;

import static org.awaitility.Awaitility.await;

import dev.arcx.testkit.callers.Callers;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The tests' client of the orchestrator API, speaking to it over HTTP like any user: its users, workspaces and teams,
 * on the kit's {@link Callers}.
 */
public final class Api {
    private static final AtomicInteger LOGINS = new AtomicInteger();

    private Api() {
    }

    public static RequestSpecification as(String token) {
        return Callers.as(token);
    }

    public static RequestSpecification admin() {
        return Callers.admin();
    }

    /** A new user on the given plan; answers its personal API token. */
    public static TestUser newUser(String plan) {
        return newUser("user" + LOGINS.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8), plan);
    }

    /** A new user with the given login. */
    public static TestUser newUser(String login, String plan) {
        String id = admin().body(Map.of("login", login, "plan", plan)).post("/api/admin/users")
                .then().statusCode(201).extract().path("id");
        String token = admin().post("/api/admin/users/" + id + "/tokens").then().statusCode(201)
                .extract().path("token");
        return new TestUser(UUID.fromString(id), login, token);
    }

    public static String createWorkspace(TestUser user, String name, String tier, List<String> addons) {
        return createWorkspace(user, name, tier, addons, null);
    }

    /** A workspace of the team {@code teamId} (null: a personal one). */
    public static String createWorkspace(TestUser user, String name, String tier, List<String> addons,
            String teamId) {
        Map<String, Object> body = new HashMap<>(Map.of("name", name, "resourceTierId", tier, "flavorId",
                "fullstack", "addonIds", addons));
        if (teamId != null) {
            body.put("teamId", teamId);
        }
        return as(user.token()).body(body).post("/api/workspaces").then().statusCode(201).extract().path("id");
    }

    /** A new team of {@code owner}; answers its id. */
    public static String createTeam(TestUser owner, String name) {
        return as(owner.token()).body(Map.of("name", name)).post("/api/teams").then().statusCode(201)
                .extract().path("id");
    }

    /** {@code owner} invites {@code member} into the team and the invite is accepted. */
    public static void joinTeam(String teamId, TestUser owner, TestUser member) {
        String invite = as(owner.token()).body(Map.of("login", member.login())).post("/api/teams/" + teamId + "/invites")
                .then().statusCode(201).extract().path("id");
        as(member.token()).post("/api/team-invites/" + invite + "/accept").then().statusCode(200);
    }

    public static ValidatableResponse get(TestUser user, String workspaceId) {
        return as(user.token()).get("/api/workspaces/" + workspaceId).then();
    }

    /** Waits until the workspace reports {@code status}, failing fast if it reports failed instead. */
    public static void awaitStatus(TestUser user, String workspaceId, String status) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            var response = get(user, workspaceId).extract();
            String now = response.path("status");
            if ("failed".equals(now) && !"failed".equals(status)) {
                throw new AssertionError("workspace failed: " + response.path("statusReason"));
            }
            return status.equals(now);
        });
    }

    /** Deletes through the API and waits until the workspace is gone. */
    public static void deleteWorkspace(TestUser user, String workspaceId) {
        as(user.token()).delete("/api/workspaces/" + workspaceId).then().statusCode(202);
        awaitGone(user, workspaceId);
    }

    /** Deletes every workspace the user has, and waits until they are gone: clean-up after a test. */
    public static void deleteAllWorkspaces(TestUser user) {
        deleteAllWorkspaces(user, null);
    }

    /** The same for workspaces protected by {@code password} (null: none is). */
    public static void deleteAllWorkspaces(TestUser user, String password) {
        List<String> ids = as(user.token()).get("/api/workspaces").then().extract().jsonPath().getList("id");
        for (String id : ids) {
            RequestSpecification request = as(user.token());
            if (password != null) {
                request.header("X-Arcx-Workspace-Password", password);
            }
            request.delete("/api/workspaces/" + id).then().statusCode(202);
            awaitGone(user, id);
        }
    }

    public static void awaitGone(TestUser user, String workspaceId) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> get(user, workspaceId).extract().statusCode() == 404);
    }

    public record TestUser(UUID id, String login, String token) {
    }
}
