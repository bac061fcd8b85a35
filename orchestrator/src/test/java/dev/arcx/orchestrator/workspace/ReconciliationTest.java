package dev.arcx.orchestrator.workspace;

import static dev.arcx.orchestrator.testsupport.Api.as;
import static dev.arcx.orchestrator.testsupport.Api.awaitStatus;
import static dev.arcx.orchestrator.testsupport.Api.createWorkspace;
import static dev.arcx.orchestrator.testsupport.Api.deleteWorkspace;
import static dev.arcx.orchestrator.testsupport.Api.get;
import static dev.arcx.testkit.engine.TestEngine.docker;
import static dev.arcx.testkit.engine.TestEngine.exec;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.Api.TestUser;
import dev.arcx.orchestrator.testsupport.WorkspaceImageResource;
import dev.arcx.testkit.engine.TestEngine;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** What happens to containers behind the orchestrator's back is noticed and set right. */
@QuarkusTest
@QuarkusTestResource(WorkspaceImageResource.class)
class ReconciliationTest {
    @ConfigProperty(name = "arcx.installation")
    String installation;

    @Inject
    WorkspaceReconciler reconciler;

    @Inject
    Pool pool;

    @Test
    void aContainerThatDiesMarksItsWorkspaceFailedWithTheReason() {
        TestUser user = Api.newUser("pro");
        String id = createWorkspace(user, "dies", "starter", List.of());
        awaitStatus(user, id, "running");
        docker().killContainerCmd("arcx-ws-" + id).exec();
        awaitStatus(user, id, "failed");
        get(user, id).body("statusReason", containsString("exited with code 137"));
        // And it can be started again, files intact.
        as(user.token()).post("/api/workspaces/" + id + "/start").then().statusCode(202);
        awaitStatus(user, id, "running");
        deleteWorkspace(user, id);
    }

    @Test
    void aContainerStoppedFromOutsideMarksItsWorkspaceStopped() {
        TestUser user = Api.newUser("pro");
        String id = createWorkspace(user, "stopped-outside", "starter", List.of());
        awaitStatus(user, id, "running");
        docker().stopContainerCmd("arcx-ws-" + id).exec();
        awaitStatus(user, id, "stopped");
        get(user, id).body("statusReason", containsString("main process exited"));
        deleteWorkspace(user, id);
    }

    @Test
    void aRowWhoseContainerVanishedIsRepaired() {
        TestUser user = Api.newUser("pro");
        String id = createWorkspace(user, "vanishes", "starter", List.of());
        awaitStatus(user, id, "running");
        String name = "arcx-ws-" + id;
        exec(name, "1000:1000", "sh", "-c", "echo still-here > /home/developer/workspace/mark");
        String before = docker().inspectContainerCmd(name).exec().getId();

        // Removed behind our back. Which the engine's events show first decides the path: the kill of a container
        // still there to inspect (failed; the row forgets the container and the next start builds a new one), or
        // its removal (recreated at once). Either way a new container around the same volume runs it again.
        docker().removeContainerCmd(name).withForce(true).exec();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            String status = get(user, id).extract().path("status");
            String container = containerIdOf(id);
            return "failed".equals(status) || ("running".equals(status) && container != null
                    && !container.equals(before));
        });
        if ("failed".equals(get(user, id).extract().path("status"))) {
            as(user.token()).get("/api/workspaces/" + id + "/logs").then().statusCode(409);
            reconciler.reconcileAll();
            await().atMost(Duration.ofSeconds(20)).until(() -> containerIdOf(id) == null);
            as(user.token()).post("/api/workspaces/" + id + "/start").then().statusCode(202);
        }
        awaitStatus(user, id, "running");
        assertNotEquals(before, docker().inspectContainerCmd(name).exec().getId());
        assertEquals("still-here", exec(name, "1000:1000", "cat", "/home/developer/workspace/mark").output().strip());

        // The database says running but the container is gone (as after events missed during an outage):
        // the reconciler brings the workspace back.
        as(user.token()).post("/api/workspaces/" + id + "/stop").then().statusCode(202);
        awaitStatus(user, id, "stopped");
        docker().removeContainerCmd(name).withForce(true).exec();
        pool.preparedQuery("UPDATE workspaces SET status = 'running' WHERE id = $1")
                .executeAndAwait(Tuple.of(UUID.fromString(id)));
        reconciler.reconcileAll();
        awaitStatus(user, id, "running");
        assertEquals("still-here", exec(name, "1000:1000", "cat", "/home/developer/workspace/mark").output().strip());

        deleteWorkspace(user, id);
    }

    private String containerIdOf(String id) {
        return pool.preparedQuery("SELECT container_id FROM workspaces WHERE id = $1")
                .executeAndAwait(Tuple.of(UUID.fromString(id))).iterator().next().getString("container_id");
    }

    @Test
    void labelledObjectsWithoutARowAreRemovedAfterTheGracePeriod() {
        String ghost = UUID.randomUUID().toString();
        Map<String, String> labels = Map.of("arcx.workspace", ghost, "arcx.owner", UUID.randomUUID().toString(),
                "arcx.installation", installation);
        docker().createVolumeCmd().withName("arcx-ws-" + ghost + "-home").withLabels(labels).exec();
        String container = docker().createContainerCmd(TestEngine.workspaceImage()).withName("arcx-ws-" + ghost)
                .withLabels(labels).exec().getId();
        docker().startContainerCmd(container).exec();
        // Another installation's objects on the same engine are not ours to touch.
        Map<String, String> foreignLabels = Map.of("arcx.workspace", ghost, "arcx.installation", "someone-else");
        String foreign = docker().createContainerCmd(TestEngine.workspaceImage()).withLabels(foreignLabels).exec().getId();
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                    docker().listContainersCmd().withShowAll(true).withIdFilter(List.of(container)).exec().isEmpty()
                            && docker().listVolumesCmd().withFilter("name", List.of("arcx-ws-" + ghost + "-home"))
                                    .exec().getVolumes().isEmpty());
            assertEquals(1, docker().listContainersCmd().withShowAll(true).withIdFilter(List.of(foreign)).exec().size());
        } finally {
            docker().removeContainerCmd(foreign).withForce(true).exec();
        }
    }
}
