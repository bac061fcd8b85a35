package dev.arcx.orchestrator.sandbox;

import static dev.arcx.orchestrator.testsupport.Api.as;
import static dev.arcx.testkit.engine.TestEngine.docker;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.Api.TestUser;
import dev.arcx.orchestrator.testsupport.SandboxImageResource;
import dev.arcx.orchestrator.testsupport.WorkspaceImageResource;
import dev.arcx.testkit.engine.SandboxImage;
import dev.arcx.testkit.engine.TestEngine;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Persistent per-user sandboxes: files kept between runs, private to their owner, cleaned and re-adopted. */
@QuarkusTest
@QuarkusTestResource(WorkspaceImageResource.class)
@QuarkusTestResource(SandboxImageResource.class)
class SandboxSessionTest {
    @Inject
    SandboxJanitor janitor;

    @Inject
    Pool pool;

    @ConfigProperty(name = "arcx.installation")
    String installation;

    static String open(TestUser user) {
        return as(user.token()).post("/api/exec/sessions").then().statusCode(201).extract().path("id");
    }

    static JsonPath runIn(TestUser user, String session, Map<String, ?> body) {
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
    void aSessionsDiskIsLimited() {
        TestUser user = Api.newUser("pro");
        String session = open(user);
        // 1.5 GB asked for; the session's /sandbox holds 128 MiB (the default).
        JsonPath fill = runIn(user, session, Map.of("language", "bash", "code",
                "dd if=/dev/zero of=/sandbox/fill bs=1M count=1500 2>&1 | grep -o 'No space left on device'; "
                        + "stat -c %s /sandbox/fill"));
        List<String> lines = fill.getString("stdout").lines().toList();
        assertTrue(lines.getFirst().contains("No space left on device"), fill.prettify());
        assertTrue(Long.parseLong(lines.getLast()) <= 128L << 20, fill.prettify());
        // The space comes back when the file goes.
        assertEquals("ok\n", runIn(user, session, Map.of("language", "bash", "code",
                "rm fill && echo ok > small && cat small")).getString("stdout"));
        as(user.token()).delete("/api/exec/sessions/" + session).then().statusCode(204);
    }

    @Test
    void theDeadlineCoversInputTheCodeNeverReadsAndKeepsTheFiles() throws Exception {
        TestUser user = Api.newUser("pro");
        String session = open(user);
        runIn(user, session, Map.of("language", "bash", "code", "echo kept > notes.txt"));
        JsonPath stuck = CompletableFuture.supplyAsync(() -> runIn(user, session, Map.of("language", "python",
                "code", "import time\ntime.sleep(200)\nprint('woke')", "stdin", "A".repeat(1 << 20), "timeoutMs", 2000)))
                .get(60, TimeUnit.SECONDS);
        assertTrue(stuck.getBoolean("timedOut"), stuck.prettify());
        assertTrue(stuck.getLong("durationMs") < 10_000, stuck.prettify());
        assertEquals("kept\n", runIn(user, session, Map.of("language", "bash", "code", "cat notes.txt"))
                .getString("stdout"));
        as(user.token()).delete("/api/exec/sessions/" + session).then().statusCode(204);
    }

    @Test
    void runsInOneSessionTakeTurns() {
        TestUser user = Api.newUser("pro");
        String session = open(user);
        var slow = CompletableFuture.runAsync(() -> runIn(user, session, Map.of("language", "bash", "code", "sleep 2")));
        await().atMost(Duration.ofSeconds(10)).until(() -> as(user.token())
                .body(Map.of("language", "bash", "code", "true")).post("/api/exec/sessions/" + session + "/run")
                .then().extract().statusCode() == 409);
        slow.join();
        assertEquals("after\n", runIn(user, session, Map.of("language", "bash", "code", "echo after"))
                .getString("stdout"));
        as(user.token()).delete("/api/exec/sessions/" + session).then().statusCode(204);
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
        // A session whose container runs another runtime image than the configured one (an earlier release's).
        TestUser outdatedUser = Api.newUser("pro");
        String outdated = open(outdatedUser);
        docker().removeContainerCmd("arcx-sbx-session-" + outdated).withForce(true).exec();
        docker().createContainerCmd(TestEngine.workspaceImage()).withName("arcx-sbx-session-" + outdated)
                .withCmd("sleep", "3600")
                .withLabels(Map.of("arcx.installation", installation, "arcx.sandbox", "session")).exec();
        String strayVolume = "arcx-sbx-session-" + UUID.randomUUID();
        docker().createVolumeCmd().withName(strayVolume)
                .withLabels(Map.of("arcx.installation", installation, "arcx.sandbox", "session")).exec();

        janitor.reconcile();

        assertTrue(Boolean.TRUE.equals(docker().inspectContainerCmd(container).exec().getState().getRunning()));
        // The session goes on; its files lived on a tmpfs that ended with the container.
        assertEquals("empty\n", runIn(user, session, Map.of("language", "bash", "code",
                "ls -A /sandbox | grep -v '^main.sh$' || echo empty")).getString("stdout"));
        assertFalse(containerExists(strayName));
        assertFalse(containerExists(leftoverName));
        as(other.token()).get("/api/exec/sessions").then().body("size()", org.hamcrest.Matchers.equalTo(0));
        assertFalse(volumeExists("arcx-sbx-session-" + ghost));
        assertFalse(volumeExists(strayVolume));
        assertFalse(containerExists("arcx-sbx-session-" + outdated));
        as(outdatedUser.token()).get("/api/exec/sessions").then().body("size()", org.hamcrest.Matchers.equalTo(0));
        assertTrue(volumeExists(container), "the adopted session keeps its volume");
        as(user.token()).delete("/api/exec/sessions/" + session).then().statusCode(204);
    }

    private static boolean volumeExists(String name) {
        return docker().listVolumesCmd().exec().getVolumes().stream().anyMatch(v -> v.getName().equals(name));
    }

    private static boolean containerExists(String name) {
        return !docker().listContainersCmd().withShowAll(true).withNameFilter(List.of("^/" + name + "$")).exec().isEmpty();
    }
}
