package dev.arcx.orchestrator.workspace;

import static dev.arcx.orchestrator.testsupport.Api.admin;
import static dev.arcx.orchestrator.testsupport.Api.as;
import static dev.arcx.orchestrator.testsupport.Api.awaitStatus;
import static dev.arcx.orchestrator.testsupport.Api.createWorkspace;
import static dev.arcx.testkit.engine.TestEngine.docker;
import static dev.arcx.testkit.engine.TestEngine.exec;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.Api.TestUser;
import dev.arcx.orchestrator.testsupport.WorkspaceImageResource;
import dev.arcx.testkit.engine.TestEngine;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Cloning a workspace on the real engine: files, packages and settings travel; failures stay per clone. */
@QuarkusTest
@QuarkusTestResource(WorkspaceImageResource.class)
class WorkspaceCloneTest {
    private static final String HOME = "/home/developer";
    private static final String TEST_LABEL = "arcx.clone-test";

    @Inject
    WorkspaceLifecycle lifecycle;

    @Inject
    WorkspaceRepository repository;

    @Test
    void clonesCarryTheFilesPackagesAndSettingsOfARunningSource() {
        TestUser user = Api.newUser("pro");
        String source = runningSource(user, "original");
        String sourceContainer = "arcx-ws-" + source;
        // In the volume: the user's files (one private) and IDE settings; outside it, as root: an installed package.
        assertEquals(0, exec(sourceContainer, "1000:1000", "sh", "-c", "echo precious > " + HOME
                + "/workspace/notes.txt && echo secret > " + HOME + "/workspace/private && chmod 600 " + HOME
                + "/workspace/private && mkdir -p " + HOME + "/.config/ide && echo '{\"theme\":\"dark\"}' > " + HOME
                + "/.config/ide/settings.json").exitCode());
        assertEquals(0, exec(sourceContainer, "0:0", "sh", "-c", "echo tool-1.0 > /etc/installed-package").exitCode());

        List<Map<String, Object>> clones = cloneOf(user, source, 2).statusCode(202).extract().jsonPath().getList("$");
        assertEquals(2, clones.size());
        assertEquals(List.of("original-clone-1", "original-clone-2"), clones.stream().map(c -> c.get("name")).toList());
        for (Map<String, Object> clone : clones) {
            assertEquals("creating", clone.get("status"));
            assertEquals(source, clone.get("clonedFrom"));
            assertEquals("starter", clone.get("resourceTierId"));
        }

        for (Map<String, Object> clone : clones) {
            String id = (String) clone.get("id");
            awaitStatus(user, id, "running");
            String container = "arcx-ws-" + id;
            assertEquals("precious", exec(container, "1000:1000", "cat", HOME + "/workspace/notes.txt").output().strip());
            assertEquals("1000:600", exec(container, "1000:1000", "stat", "-c", "%u:%a", HOME + "/workspace/private")
                    .output().strip(), "ownership and mode are kept");
            assertEquals("{\"theme\":\"dark\"}", exec(container, "1000:1000", "cat", HOME + "/.config/ide/settings.json")
                    .output().strip());
            assertEquals("tool-1.0", exec(container, "1000:1000", "cat", "/etc/installed-package").output().strip());
            var labels = docker().inspectContainerCmd(container).exec().getConfig().getLabels();
            assertEquals(id, labels.get("arcx.workspace"), "the clone's own identity, not the source's");
            // Each clone has a volume of its own: a write in one is seen nowhere else.
            assertEquals(0, exec(container, "1000:1000", "sh", "-c", "echo " + id + " > " + HOME + "/workspace/mine")
                    .exitCode());
        }
        assertTrue(exec(sourceContainer, "1000:1000", "cat", HOME + "/workspace/mine").exitCode() != 0);
        Api.get(user, source).statusCode(200).body("status", equalTo("running"));
        assertFalse(docker().inspectContainerCmd(sourceContainer).exec().getState().getPaused());
        assertEquals(List.of(), snapshotsOf(source), "the snapshot image is removed once the clones have containers");

        // Restarting keeps the clone's container, so the package installed in the source is still there.
        String first = (String) clones.get(0).get("id");
        as(user.token()).post("/api/workspaces/" + first + "/restart").then().statusCode(202);
        awaitStatus(user, first, "running");
        assertEquals("tool-1.0", exec("arcx-ws-" + first, "1000:1000", "cat", "/etc/installed-package").output().strip());

        await().atMost(Duration.ofSeconds(10)).until(() -> admin().queryParam("targetId", source)
                .queryParam("action", "workspace.clone").get("/api/admin/audit").then().statusCode(200).extract()
                .jsonPath().getList("entries").size() == 1);
        Api.deleteAllWorkspaces(user);
    }

    @Test
    void badCountsOthersWorkspacesAndBusySourcesAreRefused() {
        TestUser user = Api.newUser("pro");
        String source = runningSource(user, "refusals");
        for (Object count : new Object[] {0, 11, -1}) {
            cloneOf(user, source, count).statusCode(400).body("detail", containsString("between 1 and 10"));
        }
        as(user.token()).body(Map.of()).post("/api/workspaces/" + source + "/clone").then().statusCode(400);
        TestUser other = Api.newUser("pro");
        cloneOf(other, source, 1).statusCode(404);
        cloneOf(user, UUID.randomUUID().toString(), 1).statusCode(404);

        // While the lifecycle holds the source, a stop asked for leaves it in stopping.
        withSourceHeld(source, () -> {
            as(user.token()).post("/api/workspaces/" + source + "/stop").then().statusCode(202);
            cloneOf(user, source, 1).statusCode(409).body("detail", containsString("stopping"));
        });
        awaitStatus(user, source, "stopped");
        assertEquals(1, as(user.token()).get("/api/workspaces").then().extract().jsonPath().getList("id").size());

        // A stopped source clones too; the clones start.
        List<String> ids = cloneOf(user, source, 1).statusCode(202).extract().jsonPath().getList("id");
        awaitStatus(user, ids.get(0), "running");
        Api.get(user, source).statusCode(200).body("status", equalTo("stopped"));
        Api.deleteAllWorkspaces(user);
    }

    @Test
    void aRequestBeyondThePlanCreatesNothing() {
        TestUser user = Api.newUser("pro");
        String source = runningSource(user, "quota");
        // The pro plan allows 5: the source and 5 clones would make 6.
        cloneOf(user, source, 5).statusCode(403)
                .body("detail", containsString("would make 6"));
        assertEquals(List.of(source), as(user.token()).get("/api/workspaces").then().extract().jsonPath().getList("id"));
        assertEquals(1, docker().listVolumesCmd().withFilter("label", List.of("arcx.owner=" + user.id())).exec()
                .getVolumes().size(), "no engine object was made for a refused clone");
        assertEquals(List.of(), snapshotsOf(source));
        Api.deleteAllWorkspaces(user);
    }

    @Test
    void aCloneTheEngineRefusesFailsAloneAndTheSourceIsUntouched() {
        TestUser user = Api.newUser("pro");
        String source = runningSource(user, "partly");
        String sourceContainer = "arcx-ws-" + source;
        assertEquals(0, exec(sourceContainer, "1000:1000", "sh", "-c", "echo kept > " + HOME + "/workspace/notes.txt")
                .exitCode());

        // Holding the source keeps the cloner waiting until the engine has a container in the way of the second
        // clone's copy helper: a real refusal by the engine, for that clone only.
        List<List<String>> answered = new java.util.ArrayList<>();
        withSourceHeld(source, () -> {
            List<String> ids = cloneOf(user, source, 2).statusCode(202).extract().jsonPath().getList("id");
            answered.add(ids);
            docker().createContainerCmd(TestEngine.workspaceImage()).withName("arcx-ws-" + ids.get(1) + "-home-copy")
                    .withLabels(Map.of(TEST_LABEL, source)).exec();
        });
        List<String> ids = answered.get(0);
        try {
            awaitStatus(user, ids.get(0), "running");
            awaitStatus(user, ids.get(1), "failed");
            Api.get(user, ids.get(1)).body("statusReason", containsString("copying the source's files failed"));
            assertEquals("kept", exec("arcx-ws-" + ids.get(0), "1000:1000", "cat", HOME + "/workspace/notes.txt")
                    .output().strip());
            Api.get(user, source).statusCode(200).body("status", equalTo("running")).body("statusReason",
                    equalTo(null));
            assertEquals("kept", exec(sourceContainer, "1000:1000", "cat", HOME + "/workspace/notes.txt").output()
                    .strip());
            assertEquals(List.of(), snapshotsOf(source));

            // A clone that never got its files does not start half empty.
            as(user.token()).post("/api/workspaces/" + ids.get(1) + "/start").then().statusCode(202);
            awaitStatus(user, ids.get(1), "failed");
            Api.get(user, ids.get(1)).body("statusReason", containsString("never received all of its source's files"));
        } finally {
            TestEngine.removeLabelled(TEST_LABEL, source);
        }
        Api.deleteAllWorkspaces(user);
    }

    @Test
    void theReconcilerFailsACloneACrashLeftHalfCopiedAndResumesAPausedSource() {
        TestUser user = Api.newUser("pro");
        String sourceId = runningSource(user, "crashed");
        Workspace source = repository.findById(UUID.fromString(sourceId)).await().indefinitely();

        // What a crash in the middle of a clone request leaves: a clone row still copying that no cloner claims, and
        // the source paused for its snapshot.
        UUID orphan = UUID.randomUUID();
        repository.pool().withTransaction(tx -> repository.insertClone(tx, orphan, source, "crashed-clone-1"))
                .await().indefinitely();
        docker().pauseContainerCmd("arcx-ws-" + sourceId).exec();

        awaitStatus(user, orphan.toString(), "failed");
        Api.get(user, orphan.toString()).body("statusReason", containsString("never received all of its source's files"));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> !docker().inspectContainerCmd("arcx-ws-" + sourceId).exec().getState().getPaused());
        Api.get(user, sourceId).statusCode(200).body("status", equalTo("running"));
        Api.deleteAllWorkspaces(user);
    }

    private static String runningSource(TestUser user, String name) {
        String id = createWorkspace(user, name, "starter", List.of());
        awaitStatus(user, id, "running");
        return id;
    }

    private static ValidatableResponse cloneOf(TestUser user, String source, Object count) {
        return as(user.token()).body(Map.of("count", count)).post("/api/workspaces/" + source + "/clone").then();
    }

    /** Snapshot images taken of the workspace, left in the engine. */
    private static List<String> snapshotsOf(String workspaceId) {
        return docker().listImagesCmd().withLabelFilter(Map.of("arcx.snapshot", workspaceId)).exec().stream()
                .map(i -> i.getId()).toList();
    }

    /** Runs {@code steps} while another thread holds the source's lifecycle lock, as a long operation would. */
    private void withSourceHeld(String source, Runnable steps) {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = Thread.ofVirtual().start(() -> lifecycle.withLock(UUID.fromString(source), () -> {
            held.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        try {
            held.await();
            steps.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            release.countDown();
        }
        try {
            holder.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
