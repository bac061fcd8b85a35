package dev.arcx.orchestrator.sandbox;

import static dev.arcx.orchestrator.testsupport.Api.as;
import static dev.arcx.orchestrator.testsupport.TestEngine.docker;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.Api.TestUser;
import dev.arcx.orchestrator.testsupport.SandboxImage;
import dev.arcx.orchestrator.testsupport.WorkspaceImageResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Persistent per-user sandboxes: files kept between runs, private to their owner, cleaned and re-adopted. */
@QuarkusTest
@QuarkusTestResource(WorkspaceImageResource.class)
@QuarkusTestResource(SandboxImage.Resource.class)
class SandboxSessionTest {
    @Inject
    SandboxJanitor janitor;

    @Inject
    Pool pool;

    @ConfigProperty(name = "arcx.installation")
    String installation;

    private static String open(TestUser user) {
        return as(user.token()).post("/api/exec/sessions").then().statusCode(201).extract().path("id");
    }

    private static JsonPath runIn(TestUser user, String session, Map<String, ?> body) {
        return as(user.token()).body(new HashMap<>(body)).post("/api/exec/sessions/" + session + "/run").then()
                .statusCode(200).extract().jsonPath();
    }

    @Test
    void filesStayBetweenRunsAndSurviveADeadline() {
        TestUser user = Api.newUser("pro");
        String session = open(user);
        runIn(user, session, Map.of("language", "python", "code", "open('notes.txt', 'w').write('kept')",
                "files", Map.of("lib/helper.py", "VALUE = 42")));
        JsonPath read = runIn(user, session, Map.of("language", "python",
                "code", "from lib.helper import VALUE\nprint(open('notes.txt').read(), VALUE)"));
        assertEquals("kept 42\n", read.getString("stdout"), read.getString("stderr"));

        JsonPath stuck = runIn(user, session, Map.of("language", "bash", "code", "sleep 60", "timeoutMs", 1000));
        assertTrue(stuck.getBoolean("timedOut"));
        assertEquals("kept\n", runIn(user, session, Map.of("language", "bash", "code", "cat notes.txt; echo"))
                .getString("stdout"));

        as(user.token()).get("/api/exec/sessions").then().statusCode(200).body("id", org.hamcrest.Matchers.hasItem(session));
        as(user.token()).delete("/api/exec/sessions/" + session).then().statusCode(204);
        as(user.token()).body(Map.of("language", "bash", "code", "true")).post("/api/exec/sessions/" + session + "/run")
                .then().statusCode(404);
        assertFalse(containerExists("arcx-sbx-session-" + session));
    }

    @Test
    void aSessionIsItsOwnersAlone() {
        TestUser owner = Api.newUser("pro");
        TestUser stranger = Api.newUser("pro");
        String session = open(owner);
        runIn(owner, session, Map.of("language", "bash", "code", "echo mine > private.txt"));
        as(stranger.token()).body(Map.of("language", "bash", "code", "cat private.txt"))
                .post("/api/exec/sessions/" + session + "/run").then().statusCode(404);
        as(stranger.token()).delete("/api/exec/sessions/" + session).then().statusCode(404);
        as(stranger.token()).get("/api/exec/sessions").then().statusCode(200).body("size()", org.hamcrest.Matchers.equalTo(0));
        String theirs = open(stranger);
        assertFalse(runIn(stranger, theirs, Map.of("language", "bash", "code", "ls")).getString("stdout")
                .contains("private"));
        assertEquals("mine\n", runIn(owner, session, Map.of("language", "bash", "code", "cat private.txt"))
                .getString("stdout"));
        as(owner.token()).delete("/api/exec/sessions/" + session).then().statusCode(204);
        as(stranger.token()).delete("/api/exec/sessions/" + theirs).then().statusCode(204);
    }

    @Test
    void sessionsPerUserAreLimited() {
        TestUser user = Api.newUser("pro");
        List<String> opened = List.of(open(user), open(user), open(user));
        as(user.token()).post("/api/exec/sessions").then().statusCode(409).body("detail", containsString("3 sandbox sessions"));
        opened.forEach(id -> as(user.token()).delete("/api/exec/sessions/" + id).then().statusCode(204));
    }

    @Test
    void idleSessionsEnd() {
        TestUser user = Api.newUser("pro");
        String session = open(user);
        pool.preparedQuery("UPDATE sandbox_sessions SET last_used_at = now() - interval '1 day' WHERE id = $1")
                .executeAndAwait(Tuple.of(UUID.fromString(session)));
        janitor.endIdleSessions();
        as(user.token()).get("/api/exec/sessions").then().body("size()", org.hamcrest.Matchers.equalTo(0));
        assertFalse(containerExists("arcx-sbx-session-" + session));
    }

    @Test
    void afterARestartSessionsAreReadoptedAndLeftoversCleaned() {
        TestUser user = Api.newUser("pro");
        String session = open(user);
        runIn(user, session, Map.of("language", "bash", "code", "echo survived > state.txt"));
        String container = "arcx-sbx-session-" + session;
        // As after a host or engine restart: the session's container is stopped.
        docker().stopContainerCmd(container).withTimeout(0).exec();
        // A session container whose row is gone, and a one-shot container a crashed process left behind.
        String strayName = "arcx-sbx-session-" + UUID.randomUUID();
        String leftoverName = "arcx-sbx-" + UUID.randomUUID();
        for (var labelled : Map.of(strayName, "session", leftoverName, "run").entrySet()) {
            docker().createContainerCmd(SandboxImage.tag()).withName(labelled.getKey())
                    .withLabels(Map.of("arcx.installation", installation, "arcx.sandbox", labelled.getValue())).exec();
        }
        // A row whose container vanished (its volume stays behind), and a session volume without any row.
        TestUser other = Api.newUser("pro");
        String ghost = open(other);
        docker().removeContainerCmd("arcx-sbx-session-" + ghost).withForce(true).exec();
        String strayVolume = "arcx-sbx-session-" + UUID.randomUUID();
        docker().createVolumeCmd().withName(strayVolume)
                .withLabels(Map.of("arcx.installation", installation, "arcx.sandbox", "session")).exec();

        janitor.reconcile();

        assertTrue(Boolean.TRUE.equals(docker().inspectContainerCmd(container).exec().getState().getRunning()));
        assertEquals("survived\n", runIn(user, session, Map.of("language", "bash", "code", "cat state.txt"))
                .getString("stdout"));
        assertFalse(containerExists(strayName));
        assertFalse(containerExists(leftoverName));
        as(other.token()).get("/api/exec/sessions").then().body("size()", org.hamcrest.Matchers.equalTo(0));
        assertFalse(volumeExists("arcx-sbx-session-" + ghost));
        assertFalse(volumeExists(strayVolume));
        assertTrue(volumeExists(container), "the adopted session keeps its files");
        as(user.token()).delete("/api/exec/sessions/" + session).then().statusCode(204);
    }

    private static boolean volumeExists(String name) {
        return docker().listVolumesCmd().exec().getVolumes().stream().anyMatch(v -> v.getName().equals(name));
    }

    private static boolean containerExists(String name) {
        return !docker().listContainersCmd().withShowAll(true).withNameFilter(List.of("^/" + name + "$")).exec().isEmpty();
    }
}
