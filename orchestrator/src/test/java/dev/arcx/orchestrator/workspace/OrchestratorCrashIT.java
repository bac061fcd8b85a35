package dev.arcx.orchestrator.workspace;

import static dev.arcx.orchestrator.testsupport.Api.as;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.Api.TestUser;
import dev.arcx.testkit.TestDatabases;
import dev.arcx.testkit.TestSettings;
import dev.arcx.testkit.engine.TestEngine;
import dev.arcx.testkit.infra.PrivateDockerEngine;
import dev.arcx.testkit.process.ServiceProcess;
import io.restassured.RestAssured;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A kill -9 of the orchestrator while it creates workspaces loses nothing and leaves no orphan once it runs again.
 * Only a real process can be killed mid-flight, so this runs the packaged orchestrator as a child process against
 * the real PostgreSQL and NATS, under an installation name of its own, and a Docker engine of the test's own: ten
 * workspaces are ten networks, which a shared engine may not have room for while other tests run.
 */
class OrchestratorCrashIT {
    private static final int WORKSPACES = 10;
    /** The kill comes once this many creates were answered (201, creating): their engine objects are on their way. */
    private static final int ANSWERED_AT_THE_KILL = WORKSPACES;
    /** How soon after the restarted orchestrator is ready every workspace must have reached its final state. */
    private static final Duration CONVERGENCE_BOUND = Duration.ofSeconds(10);
    private static final String INSTALLATION = TestSettings.installation() + "-crash";
    private static final String DB_NAME = TestSettings.database();

    private final List<ServiceProcess> started = new ArrayList<>();
    private static PrivateDockerEngine engine;

    @Test
    void killedWhileCreatingItFinishesEveryWorkspaceAndRemovesOrphansWhenItRunsAgain() throws Exception {
        try {
            engine = PrivateDockerEngine.start();
            engine.copyImage(TestEngine.workspaceImage());
            ServiceProcess first = start(1, true);
            TestUser user = Api.newUser("team");
            // Younger than the orphan grace when the first process dies, so only the second one may remove it.
            String orphan = createOrphan();

            Map<String, String> answered = createConcurrentlyAndKill(first, user);
            System.out.printf("[crash-it] %d of %d concurrent creates answered 201 before the kill%n",
                    answered.size(), WORKSPACES);
            System.out.printf("[crash-it] at the kill: rows by status %s; engine containers %s (orphan: %s)%n",
                    rowsByStatus(), containersByState(), orphan);
            assertEquals(1, containersOf(orphan).size(), "the first process must not have removed the orphan yet");
            // Containers the first process finished creating are current: the second one must reuse, not replace them.
            // A create cut off by the kill may or may not have written its row: the rows tell which exist.
            List<String> ids = workspaceIds();
            assertTrue(ids.containsAll(answered.values()), "every create answered 201 has its row: " + ids);
            Map<String, String> containerAtKill = new TreeMap<>();
            for (String id : ids) {
                containersOf(id).forEach(c -> containerAtKill.put(id, c.getId()));
            }

            long launched = System.nanoTime();
            ServiceProcess second = start(2, false);
            long ready = System.nanoTime();
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                assertEquals(ids.size(), Api.as(user.token()).get("/api/workspaces").then().statusCode(200)
                        .extract().jsonPath().getList("name").stream().distinct().count(), "distinct names");
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
                assertEquals(ids.size(), rowCount());
            });
            Duration converged = Duration.ofNanos(System.nanoTime() - ready);
            System.out.printf("[crash-it] %d workspaces converged %d ms after the restarted orchestrator was ready "
                    + "(%d ms after its launch)%n", ids.size(), converged.toMillis(),
                    Duration.ofNanos(System.nanoTime() - launched).toMillis());
            assertTrue(converged.compareTo(CONVERGENCE_BOUND) <= 0, "converged after " + converged.toMillis()
                    + " ms, more than " + CONVERGENCE_BOUND.toSeconds() + " s after the restart");

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
            if (engine != null) {
                engine.close();
            }
        }
    }

    /**
     * Sends the creates all at once, each on its own thread, and kills the orchestrator (SIGKILL) as soon as
     * {@link #ANSWERED_AT_THE_KILL} of them were answered; answers the created ones by name.
     */
    private static Map<String, String> createConcurrentlyAndKill(ServiceProcess orchestrator, TestUser user)
            throws InterruptedException {
        Map<String, String> answered = new ConcurrentHashMap<>();
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch enough = new CountDownLatch(ANSWERED_AT_THE_KILL);
        List<Thread> senders = new ArrayList<>();
        for (int i = 0; i < WORKSPACES; i++) {
            String name = "crash-" + i;
            senders.add(Thread.ofVirtual().start(() -> {
                try {
                    go.await();
                    var response = as(user.token()).body(Map.of("name", name, "resourceTierId", "starter",
                            "flavorId", "fullstack")).post("/api/workspaces").then().extract();
                    if (response.statusCode() == 201) {
                        assertEquals("creating", response.path("status"));
                        answered.put(name, response.path("id"));
                        enough.countDown();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException cutOff) {
                    // The kill ended the connection before the answer came: the row may exist or not.
                }
            }));
        }
        go.countDown();
        assertTrue(enough.await(60, TimeUnit.SECONDS), "fewer than " + ANSWERED_AT_THE_KILL + " creates answered");
        orchestrator.process().destroyForcibly();
        for (Thread sender : senders) {
            sender.join(Duration.ofSeconds(30));
        }
        return Map.copyOf(answered);
    }

    private static List<String> workspaceIds() throws SQLException {
        List<String> ids = new ArrayList<>();
        try (var db = database(); var rows = db.createStatement().executeQuery("SELECT id FROM workspaces")) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
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
                "DOCKER_HOST", engine.host(),
                "ARCX_WORKSPACE_SUBNETS", PrivateDockerEngine.WORKSPACE_SUBNETS,
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

    private static DockerClient docker() {
        return engine.docker();
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
        return TestDatabases.connect(DB_NAME);
    }
}
