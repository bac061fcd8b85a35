package dev.arcx.orchestrator.workspace;

import static dev.arcx.orchestrator.testsupport.Api.as;
import static dev.arcx.orchestrator.testsupport.Api.awaitStatus;
import static dev.arcx.orchestrator.testsupport.Api.createWorkspace;
import static dev.arcx.orchestrator.testsupport.Api.deleteWorkspace;
import static dev.arcx.testkit.engine.TestEngine.docker;
import static dev.arcx.testkit.engine.TestEngine.exec;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Capability;
import dev.arcx.common.events.EventCodec;
import dev.arcx.common.events.Subjects;
import dev.arcx.common.events.WorkspaceEvent;
import dev.arcx.common.events.WorkspaceEventType;
import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.Api.TestUser;
import dev.arcx.orchestrator.testsupport.WorkspaceImageResource;
import dev.arcx.testkit.TestSettings;
import io.nats.client.Connection;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A workspace's whole life on the real engine, with PostgreSQL and NATS behind the orchestrator. */
@QuarkusTest
@QuarkusTestResource(WorkspaceImageResource.class)
class WorkspaceLifecycleTest {
    @Inject
    Subjects installationSubjects;

    @Test
    void createRunsTheContainerWithTheLimitsAndSecurityOptionsOfItsSelection() {
        TestUser user = Api.newUser("pro");
        String id = createWorkspace(user, "limits", "builder", List.of("code-server", "cloud"));
        awaitStatus(user, id, "running");

        InspectContainerResponse c = docker().inspectContainerCmd("arcx-ws-" + id).exec();
        var host = c.getHostConfig();
        // builder (2 CPU, 4Gi) + code-server (+1, +2Gi) + cloud (+0, +512Mi); CPUs capped to the host's.
        int hostCpus = docker().infoCmd().exec().getNCPU();
        assertEquals(Math.min(3, hostCpus) * 1_000_000_000L, host.getNanoCPUs());
        assertEquals(6L * 1024 * 1024 * 1024 + 512L * 1024 * 1024, host.getMemory());
        assertEquals(host.getMemory(), host.getMemorySwap());
        assertEquals(512L, host.getPidsLimit());
        assertTrue(host.getSecurityOpts().contains("no-new-privileges:true"), String.valueOf(host.getSecurityOpts()));
        assertEquals(List.of(Capability.ALL), Arrays.asList(host.getCapDrop()));
        assertTrue(host.getCapAdd() == null || host.getCapAdd().length == 0);
        assertFalse(Boolean.TRUE.equals(host.getPrivileged()));
        assertEquals(Boolean.TRUE, host.getInit(), "an init process reaps zombies and forwards SIGTERM");
        assertEquals("1000:1000", c.getConfig().getUser());
        assertTrue(host.getTmpFs().get("/tmp").contains("noexec"));
        assertTrue(host.getTmpFs().get("/tmp").contains("nosuid"));
        assertTrue(host.getTmpFs().get("/tmp").contains("nodev"));
        assertEquals(id, c.getConfig().getLabels().get("arcx.workspace"));
        assertEquals(user.id().toString(), c.getConfig().getLabels().get("arcx.owner"));
        assertTrue(Arrays.asList(c.getConfig().getEnv()).contains("CODE_SERVER_PORT=8080"));
        assertEquals("arcx-ws-" + id + "-home", c.getMounts().get(0).getName());
        assertEquals("/home/developer", c.getMounts().get(0).getDestination().getPath());
        assertTrue(Arrays.stream(c.getConfig().getExposedPorts()).anyMatch(p -> p.getPort() == 8080));
        assertEquals(Boolean.TRUE, docker().inspectNetworkCmd().withNetworkId("arcx-ws-" + id).exec().getInternal());
        assertTrue(host.getPortBindings() == null || host.getPortBindings().getBindings().isEmpty(),
                "nothing is published on the host");
        assertTrue(c.getNetworkSettings().getPorts().getBindings().values().stream().allMatch(b -> b == null),
                "no exposed port is bound on the host");
        // The process really runs unprivileged.
        assertTrue(exec("arcx-ws-" + id, "", "id", "-u").output().strip().equals("1000"));

        as(user.token()).get("/api/workspaces/" + id).then().statusCode(200)
                .body("image", equalTo("arcx-fullstack-cloud-code:0.1.0"))
                .body("resources.cpus", equalTo(3))
                .body("resources.memory", equalTo("6656Mi"));
        deleteWorkspace(user, id);
    }

    @Test
    void filesSurviveRestartAndStopStartAndAreRemovedWithTheWorkspace() {
        TestUser user = Api.newUser("pro");
        String id = createWorkspace(user, "keeps-files", "starter", List.of());
        awaitStatus(user, id, "running");
        String container = "arcx-ws-" + id;
        assertEquals(0, exec(container, "1000:1000", "sh", "-c",
                "echo precious > /home/developer/workspace/notes.txt").exitCode());

        as(user.token()).post("/api/workspaces/" + id + "/restart").then().statusCode(202)
                .body("status", equalTo("stopping"));
        awaitStatus(user, id, "running");
        assertEquals("precious", exec(container, "1000:1000", "cat", "/home/developer/workspace/notes.txt").output().strip());

        as(user.token()).post("/api/workspaces/" + id + "/stop").then().statusCode(202);
        awaitStatus(user, id, "stopped");
        assertFalse(docker().inspectContainerCmd(container).exec().getState().getRunning());
        as(user.token()).post("/api/workspaces/" + id + "/stop").then().statusCode(409);
        as(user.token()).post("/api/workspaces/" + id + "/start").then().statusCode(202).body("status", equalTo("starting"));
        awaitStatus(user, id, "running");
        assertEquals("precious", exec(container, "1000:1000", "cat", "/home/developer/workspace/notes.txt").output().strip());

        deleteWorkspace(user, id);
        assertGone(() -> docker().inspectContainerCmd(container).exec());
        assertGone(() -> docker().inspectVolumeCmd(container + "-home").exec());
        assertGone(() -> docker().inspectNetworkCmd().withNetworkId(container).exec());
    }

    @Test
    void patchAppliesAtNextStartAndLogsAndStatsWork() {
        TestUser user = Api.newUser("pro");
        String id = createWorkspace(user, "patched", "starter", List.of());
        awaitStatus(user, id, "running");
        as(user.token()).body(Map.of("resourceTierId", "builder", "addonIds", List.of("databases")))
                .patch("/api/workspaces/" + id).then().statusCode(200)
                .body("resourceTierId", equalTo("builder")).body("resources.memory", equalTo("5Gi"))
                .body("image", equalTo("arcx-fullstack-db:0.1.0"));
        // Still the old limits until the next start.
        assertEquals(2L << 30, docker().inspectContainerCmd("arcx-ws-" + id).exec().getHostConfig().getMemory());
        as(user.token()).post("/api/workspaces/" + id + "/restart").then().statusCode(202);
        awaitStatus(user, id, "running");
        var host = docker().inspectContainerCmd("arcx-ws-" + id).exec().getHostConfig();
        assertEquals(5L << 30, host.getMemory());
        assertEquals(2_000_000_000L, host.getNanoCPUs());

        as(user.token()).get("/api/workspaces/" + id + "/logs?tail=5").then().statusCode(200)
                .body(containsString("workspace patched up"));
        as(user.token()).get("/api/workspaces/" + id + "/stats").then().statusCode(200)
                .body("memoryBytes", greaterThan(0));
        deleteWorkspace(user, id);
    }

    @Test
    void everyTransitionIsPublishedOnItsOwnSubject() throws Exception {
        TestUser user = Api.newUser("pro");
        try (Connection nats = Nats.connect(TestSettings.natsUrl())) {
            String id = createWorkspace(user, "evented", "starter", List.of());
            JetStreamSubscription sub = nats.jetStream().subscribe(
                    installationSubjects.workspaceEvents(UUID.fromString(id)),
                    PushSubscribeOptions.builder().ordered(true).configuration(
                            ConsumerConfiguration.builder().deliverPolicy(DeliverPolicy.All).build()).build());
            awaitStatus(user, id, "running");
            as(user.token()).post("/api/workspaces/" + id + "/stop").then().statusCode(202);
            awaitStatus(user, id, "stopped");
            deleteWorkspace(user, id);

            List<String> subjects = new ArrayList<>();
            List<String> types = new ArrayList<>();
            Message m;
            while ((m = sub.nextMessage(Duration.ofSeconds(3))) != null) {
                WorkspaceEvent event = EventCodec.decode(m.getData(), WorkspaceEvent.class);
                subjects.add(m.getSubject());
                types.add(event.type().token());
                assertEquals(id, event.workspaceId().toString());
                assertEquals(user.id(), event.ownerId());
                assertEquals(1, event.version());
            }
            assertEquals(List.of("created", "starting", "running", "stopping", "stopped", "deleted"), types);
            assertEquals(installationSubjects.workspace(UUID.fromString(id), WorkspaceEventType.CREATED),
                    subjects.get(0));
            assertEquals(installationSubjects.workspace(UUID.fromString(id), WorkspaceEventType.DELETED),
                    subjects.get(subjects.size() - 1));
        }
    }

    private static void assertGone(Runnable lookup) {
        try {
            lookup.run();
            throw new AssertionError("expected the engine object to be gone");
        } catch (NotFoundException expected) {
            // Gone, as it should be.
        }
    }
}
