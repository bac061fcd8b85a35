package dev.arcx.orchestrator.workspace;

import static dev.arcx.orchestrator.testsupport.Api.as;
import static dev.arcx.orchestrator.testsupport.TestEngine.docker;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.Api.TestUser;
import dev.arcx.orchestrator.testsupport.ServiceProcess;
import dev.arcx.orchestrator.testsupport.TestEngine;
import io.restassured.RestAssured;
import java.io.IOException;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A kill -9 of the orchestrator while it creates workspaces loses nothing and leaves no orphan once it runs again.
 * Only a real process can be killed mid-flight, so this runs the packaged orchestrator as a child process against
 * the real PostgreSQL, NATS and Docker engine, under an installation name of its own.
 */
class OrchestratorCrashIT {
    private static final int WORKSPACES = 8;
    private static final String INSTALLATION = System.getenv().getOrDefault("ARCX_TEST_INSTALLATION", "arcx-test")
            + "-crash";
    private static final String DB_NAME = System.getenv().getOrDefault("ARCX_TEST_DB_NAME", "arcx_test");

    private final List<ServiceProcess> started = new ArrayList<>();

    @Test
    void killedWhileCreatingItFinishesEveryWorkspaceAndRemovesOrphansWhenItRunsAgain() throws Exception {
        try {
            ServiceProcess first = start(1, true);
            TestUser user = Api.newUser("team");
            // Younger than the orphan grace when the first process dies, so only the second one may remove it.
            String orphan = createOrphan();

            List<String> ids = new ArrayList<>();
            for (int i = 0; i < WORKSPACES; i++) {
                ids.add(as(user.token()).body(Map.of("name", "crash-" + i, "resourceTierId", "starter",
                        "flavorId", "fullstack")).post("/api/workspaces").then().statusCode(201)
                        .body("status", equalTo("creating")).extract().path("id"));
            }
            first.process().destroyForcibly();
            assertTrue(first.process().waitFor(30, TimeUnit.SECONDS), "the killed orchestrator did not end");
            assertEquals(128 + 9, first.process().exitValue(), "the orchestrator must die of SIGKILL, not exit");
            System.out.printf("[crash-it] at the kill: rows by status %s; engine containers %s (orphan: %s)%n",
                    rowsByStatus(), containersByState(), orphan);
            assertEquals(1, containersOf(orphan).size(), "the first process must not have removed the orphan yet");
            // Containers the first process finished creating are current: the second one must reuse, not replace them.
            Map<String, String> containerAtKill = new TreeMap<>();
            for (String id : ids) {
                containersOf(id).forEach(c -> containerAtKill.put(id, c.getId()));
            }

            ServiceProcess second = start(2, false);
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                for (String id : ids) {
                    var workspace = Api.get(user, id).statusCode(200).extract();
                    assertEquals("running", workspace.path("status"),
                            "workspace " + id + " (" + workspace.path("statusReason") + ")");
                }
                for (String id : ids) {
                    List<Container> containers = containersOf(id);
                    assertEquals(1, containers.size(), "containers of workspace " + id);
                    assertEquals("/arcx-ws-" + id, containers.get(0).getNames()[0]);
                    assertEquals("running", containers.get(0).getState());
                    docker().inspectNetworkCmd().withNetworkId("arcx-ws-" + id).exec();
                    docker().inspectVolumeCmd("arcx-ws-" + id + "-home").exec();
                }
                containerAtKill.forEach((id, container) -> assertEquals(container, containersOf(id).get(0).getId(),
                        "workspace " + id + " got a new container although its configuration did not change"));
                Set<String> expected = new TreeSet<>(ids);
                assertEquals(expected, workspacesOnEngine(), "workspaces with engine objects");
                assertEquals(WORKSPACES, rowCount());
            });

            for (String id : ids) {
                as(user.token()).delete("/api/workspaces/" + id).then().statusCode(202);
            }
            for (String id : ids) {
                Api.awaitGone(user, id);
            }
            assertEquals(Set.of(), workspacesOnEngine(), "engine objects left after deleting every workspace");
            stopGracefully(second);
        } catch (Throwable failure) {
            started.forEach(ServiceProcess::printLogTail);
            throw failure;
        } finally {
            started.forEach(o -> o.process().destroyForcibly());
            RestAssured.reset();
            removeEverythingOfTheInstallation();
        }
    }

    /** Starts the packaged orchestrator and points the API client at it once it is ready. */
    private ServiceProcess start(int run, boolean cleanDatabase) throws IOException {
        List<String> jvmArgs = new ArrayList<>();
        if (cleanDatabase) {
            jvmArgs.addAll(List.of("-Dquarkus.flyway.clean-at-start=true", "-Dquarkus.flyway.clean-disabled=false"));
        }
        jvmArgs.addAll(List.of("-Darcx.reconcile.orphan-grace=5s", "-Darcx.reconcile.interval=2s"));
        ServiceProcess orchestrator = ServiceProcess.orchestrator("crash-it-" + run, jvmArgs, Map.of(
                "ARCX_DB_NAME", DB_NAME,
                "ARCX_INSTALLATION", INSTALLATION,
                "ARCX_IMAGES_DEFAULT_IMAGE", TestEngine.workspaceImage(),
                "MAX_CONCURRENT_WORKSPACES", "50"));
        started.add(orchestrator);
        RestAssured.baseURI = "http://127.0.0.1";
        RestAssured.port = orchestrator.port();
        return orchestrator;
    }

    /**
     * What a deletion interrupted by a crash leaves behind: a running container of a workspace without a row, with
     * its network and volume, all labelled as this installation's.
     */
    private static String createOrphan() {
        String id = UUID.randomUUID().toString();
        Map<String, String> labels = Map.of("arcx.workspace", id, "arcx.installation", INSTALLATION,
                "arcx.owner", UUID.randomUUID().toString());
        String name = "arcx-ws-" + id;
        docker().createNetworkCmd().withName(name).withDriver("bridge").withInternal(true).withLabels(labels).exec();
        docker().createVolumeCmd().withName(name + "-home").withLabels(labels).exec();
        String container = docker().createContainerCmd(TestEngine.workspaceImage()).withName(name).withLabels(labels)
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode(name).withMounts(List.of(
                        new Mount().withType(MountType.VOLUME).withSource(name + "-home")
                                .withTarget("/home/developer"))))
                .exec().getId();
        docker().startContainerCmd(container).exec();
        return id;
    }

    private static void stopGracefully(ServiceProcess orchestrator) throws InterruptedException {
        assertTrue(orchestrator.stopGracefully(), "the orchestrator did not stop on SIGTERM");
    }

    private static List<Container> containersOf(String workspaceId) {
        return docker().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of("arcx.installation", INSTALLATION, "arcx.workspace", workspaceId)).exec();
    }

    private static List<Container> containersOfTheInstallation() {
        return docker().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of("arcx.installation", INSTALLATION)).exec();
    }

    private static Map<String, String> containersByState() {
        return containersOfTheInstallation().stream().collect(Collectors.toMap(
                c -> c.getNames()[0].substring(1), Container::getState, (a, b) -> a, TreeMap::new));
    }

    /** Workspace ids that own at least one container, network or volume of this installation. */
    private static Set<String> workspacesOnEngine() {
        String label = "arcx.installation=" + INSTALLATION;
        Set<String> owners = new TreeSet<>();
        containersOfTheInstallation().forEach(c -> owners.add(c.getLabels().get("arcx.workspace")));
        docker().listNetworksCmd().withFilter("label", List.of(label)).exec()
                .forEach(n -> owners.add(n.getLabels().get("arcx.workspace")));
        docker().listVolumesCmd().withFilter("label", List.of(label)).exec().getVolumes()
                .forEach(v -> owners.add(v.getLabels().get("arcx.workspace")));
        return owners;
    }

    /** Runs even when the test failed, so a failed run leaves nothing of its installation on the engine. */
    private static void removeEverythingOfTheInstallation() {
        TestEngine.removeLabelled("arcx.installation", INSTALLATION);
    }


    private static Map<String, Integer> rowsByStatus() throws SQLException {
        Map<String, Integer> counts = new TreeMap<>();
        try (var db = database(); var rows = db.createStatement()
                .executeQuery("SELECT status, count(*) FROM workspaces GROUP BY status")) {
            while (rows.next()) {
                counts.put(rows.getString(1), rows.getInt(2));
            }
        }
        return counts;
    }

    private static int rowCount() throws SQLException {
        try (var db = database(); var rows = db.createStatement().executeQuery("SELECT count(*) FROM workspaces")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static java.sql.Connection database() throws SQLException {
        var env = System.getenv();
        return DriverManager.getConnection("jdbc:postgresql://" + env.getOrDefault("ARCX_DB_HOST", "127.0.0.1") + ":"
                + env.getOrDefault("ARCX_DB_PORT", "5432") + "/" + DB_NAME,
                env.getOrDefault("ARCX_DB_USER", "arcx"), env.getOrDefault("ARCX_DB_PASSWORD", "arcx"));
    }
}
