package dev.arcx.imagebuilder.build;

import static dev.arcx.imagebuilder.testsupport.BuilderTestResource.VERSION;
import static dev.arcx.testkit.callers.Callers.admin;
import static dev.arcx.imagebuilder.testsupport.TestSessions.user;
import static dev.arcx.testkit.engine.TestEngine.docker;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.arcx.common.events.EventCodec;
import dev.arcx.common.events.Subjects;
import dev.arcx.common.images.ImageBuildEvent;
import dev.arcx.common.images.ImageEnsureReply;
import dev.arcx.common.images.ImageSelection;
import dev.arcx.common.images.ImageSubjects;
import dev.arcx.imagebuilder.testsupport.BuilderTestResource;
import dev.arcx.testkit.TestSettings;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** On-demand builds of the test recipe set on the real engine, asked for over HTTP and NATS. */
@QuarkusTest
@QuarkusTestResource(BuilderTestResource.class)
class ImageBuildTest {
    private static Connection nats;
    /** The subjects of the installation under test. */
    private static ImageSubjects subjects;

    @BeforeAll
    static void connect() throws IOException, InterruptedException {
        nats = Nats.connect(TestSettings.natsUrl());
        subjects = new Subjects(ConfigProvider.getConfig().getValue("arcx.installation", String.class)).images();
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        nats.close();
    }

    static JsonPath ensure(String flavor, String... addons) {
        return user().body(Map.of("flavor", flavor, "addons", List.of(addons))).post("/api/images/builds")
                .then().extract().jsonPath();
    }

    /** Waits for the build to finish and returns it as the API shows it. */
    static JsonPath awaitBuild(String buildId) {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() -> {
            String status = user().get("/api/images/builds/" + buildId).then().statusCode(200).extract()
                    .path("status");
            return status.equals("succeeded") || status.equals("failed");
        });
        return user().get("/api/images/builds/" + buildId).then().extract().jsonPath();
    }

    /** Ensures the combination and waits for its build, if one was needed. */
    static void built(String flavor, String... addons) {
        JsonPath answer = ensure(flavor, addons);
        if (answer.getString("buildId") != null) {
            assertEquals("succeeded", awaitBuild(answer.getString("buildId")).getString("status"));
        }
    }

    static InspectImageResponse inspect(String image) {
        return docker().inspectImageCmd(image).exec();
    }

    static String layers(String image) {
        var container = docker().createContainerCmd(image).withCmd("true").exec();
        try {
            docker().startContainerCmd(container.getId()).exec();
            docker().waitContainerCmd(container.getId()).start().awaitStatusCode();
            StringBuilder out = new StringBuilder();
            docker().logContainerCmd(container.getId()).withStdOut(true).exec(
                    new com.github.dockerjava.api.async.ResultCallback.Adapter<com.github.dockerjava.api.model.Frame>() {
                        @Override
                        public void onNext(com.github.dockerjava.api.model.Frame frame) {
                            out.append(new String(frame.getPayload()));
                        }
                    }).awaitCompletion();
            return out.toString();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        } finally {
            docker().removeContainerCmd(container.getId()).withForce(true).exec();
        }
    }

    @Test
    void aCombinationIsBuiltLayerByLayerThenAnsweredFromTheEngine() {
        JsonPath first = ensure("fullstack", "code-server");
        assertEquals("building", first.getString("status"), first.prettify());
        assertEquals("arcx-fullstack-code:" + VERSION, first.getString("image"));
        JsonPath build = awaitBuild(first.getString("buildId"));
        assertEquals("succeeded", build.getString("status"), build.getString("error"));
        assertEquals(List.of("base", "flavor fullstack", "add-on code-server"), build.getList("layers.layer"));
        // The image runs, and carries every layer of the chain in order, and the recipe hash it was built from.
        assertEquals("base\nstamp-fullstack\nflavor-fullstack\naddon-code-server\n",
                layers("arcx-fullstack-code:" + VERSION));
        assertTrue(inspect("arcx-fullstack-code:" + VERSION).getConfig().getLabels().containsKey("dev.arcx.recipe-hash"));
        // Asked again: ready, answered without a build.
        JsonPath again = ensure("fullstack", "code-server");
        assertEquals("ready", again.getString("status"));
        assertEquals(null, again.getString("buildId"));
        // The flavor image below it is reused by another combination: only the new add-on layer is built.
        JsonPath other = awaitBuild(ensure("fullstack", "databases").getString("buildId"));
        assertEquals(List.of(true, true, false), other.getList("layers.cached"));
    }

    @Test
    void addOnsAreLayeredInTheOrderOfTheirSuffixesWhateverTheRequestOrder() {
        JsonPath started = ensure("python", "gui", "databases", "code-server");
        assertEquals("arcx-python-code-db-gui:" + VERSION, started.getString("image"));
        JsonPath build = awaitBuild(started.getString("buildId"));
        assertEquals(List.of("base", "flavor python", "add-on code-server", "add-on databases", "add-on gui"),
                build.getList("layers.layer"));
        assertEquals(5, build.getInt("steps") + build.getList("layers.cached").stream().filter(c -> (Boolean) c).count());
        // Every intermediate combination is an image of its own, for the next selection to reuse.
        inspect("arcx-python-code:" + VERSION);
        inspect("arcx-python-code-db:" + VERSION);
    }

    @Test
    void concurrentEnsuresOfOneCombinationShareOneBuild() throws Exception {
        List<CompletableFuture<String>> asks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            asks.add(CompletableFuture.supplyAsync(() -> ensure("js", "gui", "cloud").getString("buildId")));
            asks.add(CompletableFuture.supplyAsync(() -> natsEnsure(ImageSelection.of("js", List.of("cloud", "gui")))
                    .buildId()));
        }
        Set<String> buildIds = new HashSet<>();
        for (CompletableFuture<String> ask : asks) {
            buildIds.add(ask.get());
        }
        buildIds.remove(null); // an ask that came after the build finished was answered "ready"
        assertEquals(1, buildIds.size(), "one build for one combination: " + buildIds);
        assertEquals("succeeded", awaitBuild(buildIds.iterator().next()).getString("status"));
        long builds = admin().get("/api/images/builds").then().extract().jsonPath().getList("image").stream()
                .filter(("arcx-js-cloud-gui:" + VERSION)::equals).count();
        assertEquals(1, builds);
    }

    @Test
    void aRecipeChangeRebuildsFromTheChangedLayerUp() throws IOException {
        built("python");
        assertEquals("ready", ensure("python").getString("status"));
        String before = inspect("arcx-python:" + VERSION).getId();
        Path dockerfile = BuilderTestResource.recipes().resolve("flavors/python/Dockerfile");
        String original = Files.readString(dockerfile);
        try {
            Files.writeString(dockerfile, "RUN echo changed >> /etc/arcx-layers\n", StandardOpenOption.APPEND);
            JsonPath rebuilt = ensure("python");
            assertEquals("building", rebuilt.getString("status"));
            JsonPath build = awaitBuild(rebuilt.getString("buildId"));
            assertEquals(List.of(true, false), build.getList("layers.cached"), "the base stays, the flavor is rebuilt");
            assertFalse(before.equals(inspect("arcx-python:" + VERSION).getId()));
            assertEquals("base\nflavor-python\nchanged\n", layers("arcx-python:" + VERSION));
        } finally {
            Files.writeString(dockerfile, original);
        }
    }

    @Test
    void aSharedLibScriptIsPartOfTheRecipesThatNameIt() throws IOException {
        built("js");
        built("python");
        Path script = BuilderTestResource.recipes().resolve("lib/stamp.sh");
        String original = Files.readString(script);
        try {
            Files.writeString(script, original + "echo stamped-again >> /etc/arcx-layers\n");
            // js names the script: its flavor layer is stale; python does not: still ready.
            assertEquals("ready", ensure("python").getString("status"));
            JsonPath rebuilt = awaitBuild(ensure("js").getString("buildId"));
            assertEquals(List.of(true, false), rebuilt.getList("layers.cached"));
            assertEquals("base\nstamp-js\nstamped-again\nflavor-js\n", layers("arcx-js:" + VERSION));
        } finally {
            Files.writeString(script, original);
        }
    }

    @Test
    void aFailingRecipeReportsItsErrorAndLeavesNoImage() throws Exception {
        Path dockerfile = BuilderTestResource.recipes().resolve("addons/cloud/Dockerfile");
        String original = Files.readString(dockerfile);
        Subscription failures = nats.subscribe(subjects.event("arcx-python-cloud:" + VERSION,
                ImageBuildEvent.Kind.FAILED));
        try {
            Files.writeString(dockerfile, "ARG BASE\nFROM ${BASE}\nRUN echo about to fail && exit 3\n");
            JsonPath build = awaitBuild(ensure("python", "cloud").getString("buildId"));
            assertEquals("failed", build.getString("status"));
            assertTrue(build.getString("error").contains("add-on cloud failed"), build.getString("error"));
            assertTrue(build.getString("error").contains("about to fail"), "the log tail: " + build.getString("error"));
            assertFalse(exists("arcx-python-cloud:" + VERSION), "no image under the name of a failed build");
            Message event = failures.nextMessage(Duration.ofSeconds(5));
            ImageBuildEvent failed = EventCodec.decode(event.getData(), ImageBuildEvent.class);
            assertEquals(build.getString("id"), failed.buildId());
            assertTrue(failed.error().contains("about to fail"));
        } finally {
            Files.writeString(dockerfile, original);
            failures.unsubscribe();
        }
        // Fixed, it builds.
        assertEquals("succeeded", awaitBuild(ensure("python", "cloud").getString("buildId")).getString("status"));
    }

    @Test
    void progressAndTheLiveLogAreFollowable() throws Exception {
        Subscription events = nats.subscribe(subjects.events("arcx-js-code-db:" + VERSION));
        JsonPath started = ensure("js", "databases", "code-server");
        String buildId = started.getString("buildId");
        String log = admin().accept("text/event-stream").get("/api/images/builds/" + buildId + "/log").then()
                .statusCode(200).extract().asString();
        assertTrue(log.contains("event:log"), log);
        assertTrue(log.contains("Step 1/"), "the engine's step lines are in the log: " + log);
        assertTrue(log.contains("event:end"), log);
        JsonPath build = awaitBuild(buildId);
        assertTrue(build.getInt("steps") >= 1 && build.getInt("step") == build.getInt("steps"));
        assertTrue(build.getDouble("seconds") > 0);
        List<String> kinds = new ArrayList<>();
        for (Message m = events.nextMessage(Duration.ofSeconds(5)); m != null; m = events.nextMessage(Duration.ofMillis(300))) {
            kinds.add(EventCodec.decode(m.getData(), ImageBuildEvent.class).kind().token());
        }
        events.unsubscribe();
        assertEquals("built", kinds.getLast(), kinds.toString());
        assertTrue(kinds.contains("progress"), kinds.toString());
        // A finished build's log is replayed whole.
        admin().accept("text/event-stream").get("/api/images/builds/" + buildId + "/log").then().statusCode(200)
                .body(containsString("event:end"));
    }

    @Test
    void natsEnsureAnswersReadyBuildingAndRefused() {
        built("js");
        ImageEnsureReply ready = natsEnsure(ImageSelection.of("js", List.of()));
        assertEquals(ImageEnsureReply.Status.READY, ready.status());
        assertEquals("arcx-js:" + VERSION, ready.image());
        ImageEnsureReply refused = natsEnsure(ImageSelection.of("cobol", List.of()));
        assertEquals(ImageEnsureReply.Status.REFUSED, refused.status());
        assertTrue(refused.error().contains("unknown flavor 'cobol'"), refused.error());
        Message garbage = request("not json".getBytes());
        assertEquals(ImageEnsureReply.Status.REFUSED, EventCodec.decode(garbage.getData(), ImageEnsureReply.class)
                .status());
    }

    @Test
    void badSelectionsAreRefusedWithReasons() {
        user().body(Map.of("flavor", "cobol")).post("/api/images/builds").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("unknown flavor 'cobol'"));
        user().body(Map.of("flavor", "js", "addons", List.of("jetpack"))).post("/api/images/builds").then()
                .statusCode(400).body("detail", containsString("unknown add-on 'jetpack'"));
        user().body(Map.of("flavor", "js", "addons", List.of("gui", "gui"))).post("/api/images/builds").then()
                .statusCode(400).body("detail", containsString("listed twice"));
        user().body(Map.of("addons", List.of())).post("/api/images/builds").then().statusCode(400)
                .body("detail", containsString("'flavor' is required"));
        user().body("{\"flavor\": \"js\", \"colour\": \"red\"}").post("/api/images/builds").then().statusCode(400)
                .body("detail", containsString("unknown field 'colour'"));
        user().body("{not json").post("/api/images/builds").then().statusCode(400);
        // A flavor the platform's catalog knows but this tree has no recipe for.
        user().body(Map.of("flavor", "go")).post("/api/images/builds").then().statusCode(400)
                .body("detail", containsString("unknown flavor 'go': no recipe"));
        user().get("/api/images/builds/" + java.util.UUID.randomUUID()).then().statusCode(404);
    }

    static ImageEnsureReply natsEnsure(ImageSelection selection) {
        return EventCodec.decode(request(EventCodec.encode(selection)).getData(), ImageEnsureReply.class);
    }

    static Message request(byte[] body) {
        try {
            Message reply = nats.request(subjects.ensure(), body, Duration.ofSeconds(10));
            if (reply == null) {
                throw new AssertionError("no answer to " + subjects.ensure());
            }
            return reply;
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean exists(String image) {
        try {
            inspect(image);
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }
}
