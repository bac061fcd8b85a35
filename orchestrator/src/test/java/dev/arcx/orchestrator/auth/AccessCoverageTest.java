package dev.arcx.orchestrator.auth;

import static dev.arcx.orchestrator.testsupport.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.Api.TestUser;
import dev.arcx.orchestrator.testsupport.Endpoints;
import dev.arcx.orchestrator.testsupport.Endpoints.Endpoint;
import dev.arcx.orchestrator.testsupport.SandboxImageResource;
import dev.arcx.orchestrator.testsupport.WorkspaceImageResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint that names something of a user's, from the orchestrator's own OpenAPI document (so endpoints added
 * later are covered, or this test fails until they are mapped): another user, and a team member for what is not the
 * team's, get the same answer as for something that does not exist (no existence oracle), never a success, and
 * afterwards everything of the owner's is as it was.
 */
@QuarkusTest
@QuarkusTestResource(WorkspaceImageResource.class)
@QuarkusTestResource(SandboxImageResource.class)
class AccessCoverageTest {
    /** Paths with ids that are no user's: the catalog (public) and the administrator's (AdminUsersTest covers). */
    private static final List<String> NOT_A_USERS = List.of("/api/addons/", "/api/flavors/", "/api/resource-tiers/",
            "/api/admin/");

    @Test
    void strangersAndTeamMembersFindNothingOfAnotherUsersAndChangeNothing() {
        TestUser owner = Api.newUser("pro");
        TestUser member = Api.newUser("pro");
        TestUser stranger = Api.newUser("pro");
        String team = Api.createTeam(owner, "Owned " + owner.login());
        Api.joinTeam(team, owner, member);
        String invite = as(owner.token()).body(Map.of("login", "ghost-" + owner.login())).post("/api/teams/" + team
                + "/invites").then().statusCode(201).extract().path("id");
        String personal = Api.createWorkspace(owner, "private", "starter", List.of());
        String shared = Api.createWorkspace(owner, "shared", "starter", List.of(), team);
        Api.awaitStatus(owner, personal, "running");
        Api.awaitStatus(owner, shared, "running");
        as(owner.token()).body(Map.of("share", "owner")).put("/api/workspaces/" + personal + "/ports/8080").then()
                .statusCode(200);
        String hook = as(owner.token()).body(Map.of("url", "https://hooks.example.com/arcx")).post("/api/webhooks")
                .then().statusCode(201).extract().path("id");
        Response issued = as(owner.token()).body(Map.of("name", "ci")).post("/api/tokens").then().statusCode(201)
                .extract().response();
        String tokenId = issued.path("id");
        String token = issued.path("token");
        String sandbox = as(owner.token()).post("/api/exec/sessions").then().statusCode(201).extract().path("id");

        try {
            List<String> checked = new ArrayList<>();
            for (Endpoint endpoint : Endpoints.all()) {
                String template = endpoint.template();
                // The API's; the pages' 404s for others' things are the dashboard tests'.
                if (!template.startsWith("/api/") || !template.contains("{")
                        || NOT_A_USERS.stream().anyMatch(template::startsWith)) {
                    continue;
                }
                Map<String, String> owners = ownersIds(template, personal, team, invite, owner.id().toString(),
                        hook, tokenId, sandbox);
                // What a member may do in their team (and may not: 403) is TeamTest's; here the team is a stranger's.
                List<TestUser> outsiders = template.startsWith("/api/teams/") ? List.of(stranger)
                        : List.of(stranger, member);
                for (TestUser outsider : outsiders) {
                    String real = fill(template, owners);
                    String unknown = fill(template, Map.of());
                    int onReal = call(outsider, endpoint.method(), real);
                    int onUnknown = call(outsider, endpoint.method(), unknown);
                    assertEquals(onUnknown, onReal, endpoint + " tells " + who(outsider, stranger)
                            + " that the owner's " + real + " exists");
                    assertTrue(onReal >= 400 && onReal < 500, endpoint + " answered " + onReal + " to "
                            + who(outsider, stranger));
                }
                // The team's workspace is the member's business, not the stranger's.
                if (template.startsWith("/api/workspaces/{id}")) {
                    Map<String, String> teamIds = new LinkedHashMap<>(owners);
                    teamIds.put("id", shared);
                    assertEquals(call(stranger, endpoint.method(), fill(template, Map.of())),
                            call(stranger, endpoint.method(), fill(template, teamIds)), endpoint + " on the team's");
                }
                checked.add(endpoint.toString());
            }
            assertTrue(checked.size() >= 25, "fewer endpoints than expected were checked: " + checked);

            // Nothing of the owner's changed.
            Api.get(owner, personal).statusCode(200).body("status", equalTo("running"))
                    .body("passwordProtected", equalTo(false));
            Api.get(owner, shared).statusCode(200).body("status", equalTo("running"));
            as(owner.token()).get("/api/workspaces/" + personal + "/ports").then().body("port", equalTo(List.of(8080)));
            as(owner.token()).get("/api/teams/" + team).then().statusCode(200).body("name", equalTo("Owned "
                    + owner.login())).body("members.size()", equalTo(2)).body("invites.id", equalTo(List.of(invite)));
            as(owner.token()).get("/api/webhooks").then().body("id", equalTo(List.of(hook)));
            as(token).get("/api/workspaces").then().statusCode(200);
            as(owner.token()).get("/api/exec/sessions").then().body("id", equalTo(List.of(sandbox)));
        } finally {
            as(owner.token()).delete("/api/exec/sessions/" + sandbox);
            Api.deleteAllWorkspaces(owner);
        }
    }

    /** The owner's id for each path parameter of the template; an endpoint not mapped here fails the test. */
    private static Map<String, String> ownersIds(String template, String workspace, String team, String invite,
            String ownerId, String hook, String token, String sandbox) {
        Map<String, String> ids = new LinkedHashMap<>();
        if (template.startsWith("/api/workspaces/{id}")) {
            ids.put("id", workspace);
            ids.put("port", "8080");
        } else if (template.startsWith("/api/teams/{id}")) {
            ids.put("id", team);
            ids.put("inviteId", invite);
            ids.put("userId", ownerId);
        } else if (template.startsWith("/api/team-invites/{id}")) {
            ids.put("id", invite);
        } else if (template.startsWith("/api/webhooks/{id}")) {
            ids.put("id", hook);
        } else if (template.startsWith("/api/tokens/{id}")) {
            ids.put("id", token);
        } else if (template.startsWith("/api/exec/sessions/{id}")) {
            ids.put("id", sandbox);
        } else {
            throw new AssertionError(template + " names something, but this test does not know whose: map it");
        }
        return ids;
    }

    /** The template with the given ids, and a fresh unknown id (or port 8080) for the others. */
    private static String fill(String template, Map<String, String> ids) {
        String path = template;
        for (var id : ids.entrySet()) {
            path = path.replace("{" + id.getKey() + "}", id.getValue());
        }
        return path.replace("{port}", "8080").replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
    }

    private static int call(TestUser caller, String method, String path) {
        RequestSpecification request = as(caller.token());
        if (!method.equals("GET") && !method.equals("DELETE")) {
            request.body("{}");
        }
        return request.request(method, path).statusCode();
    }

    private static String who(TestUser outsider, TestUser stranger) {
        return outsider == stranger ? "a stranger" : "a team member";
    }
}
