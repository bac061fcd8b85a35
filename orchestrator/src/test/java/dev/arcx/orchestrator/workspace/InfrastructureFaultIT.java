package dev.arcx.orchestrator.workspace;

import static dev.arcx.orchestrator.testsupport.Api.as;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.model.Container;
import dev.arcx.common.events.Subjects;
import dev.arcx.common.events.WorkspaceEventType;
import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.Api.TestUser;
import dev.arcx.orchestrator.testsupport.ImageBuilderResource;
import dev.arcx.testkit.TestSettings;
import dev.arcx.testkit.engine.SandboxImage;
import dev.arcx.testkit.engine.TestEngine;
import dev.arcx.testkit.infra.PrivateDockerEngine;
import dev.arcx.testkit.infra.PrivateNats;
import dev.arcx.testkit.infra.PrivatePostgres;
import dev.arcx.testkit.process.ServiceProcess;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.StreamInfoOptions;
import io.restassured.RestAssured;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * PostgreSQL, NATS and the Docker engine restarted under the running services while workspaces are being created,
 * started and built: the services come back without a restart of their own (readiness goes down, then up), no
 * workspace is left in a transitional status, every event announced around the fault is in JetStream, and no
 * container is left without its workspace. The three are this test's own (a private cluster, broker and engine), so
 * restarting them disturbs nothing else on the machine; the services are the packaged ones, as child processes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InfrastructureFaultIT {
    private static final String INSTALLATION = TestSettings.installation() + "-fault";
    /** The NATS names of the test's installation (a private broker, but the services name things by installation). */
    private static final Subjects NAMES = new Subjects(INSTALLATION);
    private static final String DATABASE = "arcx_fault";
    private static final String VERSION = "f" + UUID.randomUUID().toString().substring(0, 8);
    /** How long each part stays down: longer than a connection attempt, so every client notices. */
    private static final Duration DOWN_FOR = Duration.ofSeconds(3);
    private static final Set<String> SETTLED = Set.of("running", "stopped", "failed");

    private static PrivatePostgres postgres;
    private static PrivateNats nats;
    private static PrivateDockerEngine engine;
    private static ServiceProcess orchestrator;
    private static ServiceProcess imageBuilder;
    private static TestUser user;
    private static final Map<String, String> figures = new LinkedHashMap<>();
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void startInfrastructureAndServices() throws Exception {
        postgres = PrivatePostgres.start(DATABASE);
        nats = PrivateNats.start();
        engine = PrivateDockerEngine.start();
        engine.copyImage(TestEngine.workspaceImage());
        engine.copyImage(SandboxImage.tag());
        Map<String, String> env = Map.of(
                "ARCX_DB_PORT", String.valueOf(postgres.port()),
                "ARCX_DB_NAME", DATABASE,
                "ARCX_NATS_URL", nats.url(),
                "DOCKER_HOST", engine.host(),
                "ARCX_INSTALLATION", INSTALLATION);
        Map<String, String> orchestratorEnv = new HashMap<>(env);
        orchestratorEnv.put("MAX_CONCURRENT_WORKSPACES", "50");
        // Workspace subnets apart from the machine's engine's (the host routes both engines' bridges).
        orchestratorEnv.put("ARCX_WORKSPACE_SUBNETS", PrivateDockerEngine.WORKSPACE_SUBNETS);
        orchestratorEnv.put("ARCX_SANDBOX_IMAGE", SandboxImage.tag());
        // No default image: every workspace asks the image-builder, so builds are in flight when a part goes down.
        orchestrator = ServiceProcess.orchestrator("fault-orchestrator", List.of(
                "-Darcx.reconcile.orphan-grace=5s", "-Darcx.reconcile.interval=2s",
                "-Darcx.images.version=" + VERSION), orchestratorEnv);
        Map<String, String> builderEnv = new HashMap<>(env);
        builderEnv.putAll(Map.of(
                "ARCX_IMAGES_RECIPES", ImageBuilderResource.recipes().toString(),
                "ARCX_IMAGES_VERSION", VERSION,
                "ARCX_IMAGES_BASE_IMAGE", TestEngine.workspaceImage(),
                "ARCX_IMAGES_PULL_BASE", "false",
                "ARCX_IMAGES_BUILD_MEMORY", "512M"));
        imageBuilder = ServiceProcess.imageBuilder("fault-image-builder", builderEnv);
        RestAssured.baseURI = "http://127.0.0.1";
        RestAssured.port = orchestrator.port();
        user = Api.newUser("team");
    }

    @AfterAll
    static void stopEverything() {
        System.out.println("[fault-it] figures:");
        figures.forEach((name, value) -> System.out.printf("[fault-it]   %-55s %s%n", name, value));
        for (ServiceProcess service : new ServiceProcess[] {orchestrator, imageBuilder}) {
            if (service != null) {
                service.process().destroyForcibly();
            }
        }
        RestAssured.reset();
        for (AutoCloseable part : new AutoCloseable[] {engine, nats, postgres}) {
            try {
                if (part != null) {
                    part.close();
                }
            } catch (Exception e) {
                System.err.printf("[fault-it] could not clean up %s: %s%n", part, e.getMessage());
            }
        }
    }

    @Test
    @Order(1)
    void aPostgresRestartUnderWorkInFlight() throws Exception {
        survives("postgres", List.of("cloud"), postgres::stop, postgres::start, false);
    }

    @Test
    @Order(2)
    void aNatsRestartUnderWorkInFlight() throws Exception {
        survives("nats", List.of("databases"), nats::stopServer, nats::startServer, true);
    }

    @Test
    @Order(3)
    void aDockerEngineRestartUnderWorkInFlight() throws Exception {
        survives("engine", List.of("code-server"), engine::stopDaemon, engine::startDaemon, true);
    }

    /**
     * Creates workspaces (a selection whose image is not built yet), starts a stopped one and sends sandbox runs,
     * takes {@code part} down while that work is in flight, creates more while it is down when the API can take
     * requests without it, brings it back, and checks what the services made of it.
     */
    private void survives(String part, List<String> addons, Runnable stop, Runnable start, boolean createWhileDown)
            throws Exception {
        try {
            String restarted = Api.createWorkspace(user, part + "-restarted", "starter", List.of());
            Api.awaitStatus(user, restarted, "running");
            as(user.token()).post("/api/workspaces/" + restarted + "/stop").then().statusCode(202);
            Api.awaitStatus(user, restarted, "stopped");

            List<String> workspaces = new ArrayList<>(List.of(restarted));
            for (int i = 0; i < 3; i++) {
                workspaces.add(Api.createWorkspace(user, part + "-before-" + i, "starter", addons));
            }
            as(user.token()).post("/api/workspaces/" + restarted + "/start").then().statusCode(202);
            List<Thread> sandboxRuns = new ArrayList<>();
            Map<Integer, Integer> sandboxAnswers = new java.util.concurrent.ConcurrentSkipListMap<>();
            for (int i = 0; i < 3; i++) {
                sandboxRuns.add(Thread.ofVirtual().start(() -> sandboxAnswers.merge(sandboxRun("sleep 1; echo ok")
                        .statusCode(), 1, Integer::sum)));
            }

            long stopping = System.nanoTime();
            stop.run();
            // The image-builder keeps no database: a PostgreSQL outage leaves it ready.
            boolean builderNeedsIt = !part.equals("postgres");
            Duration down = awaitReadiness(false, builderNeedsIt);
            figures.put(part + ": readiness down after", millis(down));
            int listedWhileDown = as(user.token()).get("/api/workspaces").statusCode();
            figures.put(part + ": the workspace list while down answered", String.valueOf(listedWhileDown));
            assertTrue(listedWhileDown == 200 || listedWhileDown == 503, "listed while down: " + listedWhileDown);
            if (createWhileDown) {
                for (int i = 0; i < 2; i++) {
                    workspaces.add(Api.createWorkspace(user, part + "-during-" + i, "starter", addons));
                }
            }
            sleepUntil(stopping + DOWN_FOR.toNanos());
            start.run();
            Duration up = awaitReadiness(true, builderNeedsIt);
            figures.put(part + ": readiness back after the restart", millis(up));
            for (Thread run : sandboxRuns) {
                run.join(Duration.ofSeconds(60));
            }
            figures.put(part + ": sandbox runs in flight, answers", sandboxAnswers.toString());
            // Cut off by the fault or not: an answer, or "unavailable, try again"; never a server error.
            assertTrue(Set.of(200, 503).containsAll(sandboxAnswers.keySet()), "sandbox answers " + sandboxAnswers);
            // Ready again means ready: the first runs after the fault succeed, in a warm container or a new one.
            for (String language : List.of("bash", "python")) {
                for (int i = 0; i < 3; i++) {
                    var answer = sandboxRun(language, language.equals("bash") ? "echo back" : "print('back')");
                    assertEquals(200, answer.statusCode(), language + " run " + i + " after the restart: "
                            + answer.body().asString());
                    assertEquals("back\n", answer.path("stdout"));
                }
            }

            long restartedAt = System.nanoTime();
            Map<String, String> settled = awaitSettled(workspaces);
            figures.put(part + ": work in flight settled after the restart", millis(Duration.ofNanos(
                    System.nanoTime() - restartedAt)) + " " + countByValue(settled));
            // Everything came back: nothing justifies failing what was asked for around the fault.
            settled.forEach((id, status) -> assertEquals("running", status, "workspace " + id + " ("
                    + Api.get(user, id).extract().path("statusReason") + ")"));
            // The workspaces of the earlier parts ran through this fault too: none may be left half-way.
            List<String> all = as(user.token()).get("/api/workspaces").then().statusCode(200).extract().jsonPath()
                    .getList("id");
            awaitSettled(all).forEach((id, status) -> {
                if (status.equals("failed")) {
                    assertNotNull(Api.get(user, id).extract().path("statusReason"), "workspace " + id
                            + " failed without a reason");
                }
            });

            assertEveryEventInTheStream(part, workspaces);
            assertNoOrphans(part);
        } catch (Throwable failure) {
            orchestrator.printLogTail();
            imageBuilder.printLogTail();
            throw failure;
        }
    }

    private static io.restassured.response.Response sandboxRun(String bash) {
        return sandboxRun("bash", bash);
    }

    private static io.restassured.response.Response sandboxRun(String language, String code) {
        return as(user.token()).body(Map.of("language", language, "code", code)).post("/api/exec");
    }

    /**
     * Until both services report ready (or both not; the image-builder stays ready when it does not need the part),
     * polled like a load balancer would; answers how long it took.
     */
    private static Duration awaitReadiness(boolean ready, boolean builderNeedsPart) {
        long from = System.nanoTime();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> ready(orchestrator) == ready && ready(imageBuilder) == (ready || !builderNeedsPart));
        return Duration.ofNanos(System.nanoTime() - from);
    }

    private static boolean ready(ServiceProcess service) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(service.baseUri() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Every workspace ends running, stopped or failed: none stays in a transitional status. */
    private static Map<String, String> awaitSettled(List<String> workspaces) {
        Map<String, String> statuses = new TreeMap<>();
        try {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
                for (String id : workspaces) {
                    statuses.put(id, Api.get(user, id).statusCode(200).extract().path("status"));
                }
                return SETTLED.containsAll(statuses.values());
            });
        } catch (RuntimeException notSettled) {
            throw new AssertionError("workspaces still in a transitional status: " + statuses, notSettled);
        }
        return statuses;
    }

    /**
     * Each workspace's creation, each move the lifecycle audited, and the status it settled in were announced: every
     * one of those events is in the stream, whether it was published before, during or after the fault.
     */
    private static void assertEveryEventInTheStream(String part, List<String> workspaces) throws Exception {
        Map<String, Set<String>> expected = new TreeMap<>();
        for (String id : workspaces) {
            Set<String> subjects = new TreeSet<>();
            subjects.add(NAMES.workspace(UUID.fromString(id), WorkspaceEventType.CREATED));
            String status = Api.get(user, id).extract().path("status");
            subjects.add(NAMES.workspace(UUID.fromString(id), WorkspaceEventType.fromToken(status)));
            for (String action : auditedSystemMoves(id)) {
                subjects.add(NAMES.workspace(UUID.fromString(id),
                        WorkspaceEventType.fromToken(action.substring("workspace.".length()))));
            }
            expected.put(id, subjects);
        }
        int published = expected.values().stream().mapToInt(Set::size).sum();
        Set<String> missing = new TreeSet<>();
        // Publishing is asynchronous, and a publish the fault cut off is repeated: what is on its way gets a moment.
        try {
            await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(250)).until(() -> {
                Set<String> stored = subjectsInTheStream();
                missing.clear();
                expected.values().forEach(subjects -> subjects.stream().filter(s -> !stored.contains(s))
                        .forEach(missing::add));
                return missing.isEmpty();
            });
        } catch (RuntimeException lost) {
            // Reported below with the figures.
        }
        figures.put(part + ": events announced / found in the stream", published + " / " + (published
                - missing.size()));
        assertEquals(Set.of(), missing, "events announced but not in the stream " + NAMES.eventsStream());
    }

    private static Set<String> subjectsInTheStream() throws Exception {
        Options options = new Options.Builder().server(nats.url()).connectionTimeout(Duration.ofSeconds(5)).build();
        try (Connection connection = Nats.connect(options)) {
            var state = connection.jetStreamManagement().getStreamInfo(NAMES.eventsStream(),
                    StreamInfoOptions.allSubjects()).getStreamState();
            Set<String> subjects = new TreeSet<>();
            state.getSubjects().forEach(s -> subjects.add(s.getName()));
            return subjects;
        }
    }

    /** The lifecycle's own moves of the workspace, from the audit log: each was announced before it was audited. */
    private static List<String> auditedSystemMoves(String workspaceId) throws SQLException {
        List<String> actions = new ArrayList<>();
        try (var db = database(); var query = db.prepareStatement("SELECT action FROM audit_log WHERE actor = 'system'"
                + " AND target_id = ? AND action IN ('workspace.building-image', 'workspace.starting',"
                + " 'workspace.running', 'workspace.stopped', 'workspace.failed')")) {
            query.setString(1, workspaceId);
            try (var rows = query.executeQuery()) {
                while (rows.next()) {
                    actions.add(rows.getString(1));
                }
            }
        }
        return actions;
    }

    /** Every container of the installation belongs to a workspace the database knows, and no workspace has two. */
    private static void assertNoOrphans(String part) throws SQLException {
        Set<String> known = new TreeSet<>();
        try (var db = database(); var rows = db.createStatement().executeQuery("SELECT id FROM workspaces")) {
            while (rows.next()) {
                known.add(rows.getString(1));
            }
        }
        List<String> orphans = new ArrayList<>();
        Map<String, Integer> perWorkspace = new TreeMap<>();
        for (Container c : engine.docker().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of("arcx.installation", INSTALLATION)).exec()) {
            String workspace = c.getLabels().get("arcx.workspace");
            if (workspace != null) {
                perWorkspace.merge(workspace, 1, Integer::sum);
                if (!known.contains(workspace)) {
                    orphans.add(c.getNames()[0] + " of " + workspace);
                }
            }
        }
        // One-shot sandbox containers live as long as their run; every run of this test has ended.
        Supplier<List<Container>> runContainers = () -> engine.docker().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of("arcx.installation", INSTALLATION, "arcx.sandbox", "run")).exec();
        try {
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250))
                    .until(() -> runContainers.get().isEmpty());
        } catch (ConditionTimeoutException left) {
            runContainers.get().forEach(c -> orphans.add(c.getNames()[0] + " of a sandbox run that ended"));
        }
        figures.put(part + ": orphaned containers", String.valueOf(orphans.size()));
        assertEquals(List.of(), orphans, "containers of workspaces the database does not know");
        perWorkspace.forEach((id, count) -> assertEquals(1, count, "containers of workspace " + id));
    }

    private static java.sql.Connection database() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + postgres.port() + "/" + DATABASE, "arcx",
                "arcx");
    }

    private static Map<String, Integer> countByValue(Map<String, String> statuses) {
        Map<String, Integer> counts = new TreeMap<>();
        statuses.values().forEach(s -> counts.merge(s, 1, Integer::sum));
        return counts;
    }

    private static String millis(Duration duration) {
        return duration.toMillis() + " ms";
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            Thread.sleep(Duration.ofNanos(left));
        }
    }
}
