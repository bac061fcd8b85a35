package dev.arcx.orchestrator.workspace;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arcx.common.auth.SessionCookies;
import dev.arcx.common.events.AuditEvent;
import dev.arcx.common.events.EventCodec;
import dev.arcx.common.events.Subjects;
import dev.arcx.common.events.WorkspaceEvent;
import dev.arcx.common.images.ImageEnsureReply;
import dev.arcx.common.images.ImageSelection;
import dev.arcx.orchestrator.images.ImageBuilderClient;
import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.ImageBuilderResource;
import dev.arcx.orchestrator.testsupport.TestSessions;
import dev.arcx.testkit.TestSettings;
import dev.arcx.testkit.callers.TestTokens;
import dev.arcx.testkit.engine.TestEngine;
import dev.arcx.testkit.process.ServiceProcess;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two installations on one NATS server, as a test run beside a local {@code ./arcx up}: the orchestrator under test
 * with its own image-builder (installation of the tests), and a second image-builder of another installation on the
 * same server, database and engine. Nothing one installation sends may reach the other.
 */
@QuarkusTest
@TestProfile(WorkspaceImageBuildTest.BuiltImages.class)
class InstallationIsolationTest {
    private static final String OTHER_VERSION = "o" + UUID.randomUUID().toString().substring(0, 8);
    private static final Subjects OTHER = new Subjects(TestSettings.installation() + "-other");
    private static ServiceProcess otherBuilder;

    @Inject
    Subjects subjects;

    @Inject
    Connection nats;

    @Inject
    ImageBuilderClient imageBuilder;

    @BeforeAll
    static void startAnotherInstallationsBuilder() throws Exception {
        otherBuilder = ServiceProcess.imageBuilder("image-builder-" + OTHER.installation(), Map.of(
                "ARCX_INSTALLATION", OTHER.installation(),
                "ARCX_IMAGES_RECIPES", ImageBuilderResource.recipes().toString(),
                "ARCX_IMAGES_VERSION", OTHER_VERSION,
                "ARCX_IMAGES_BASE_IMAGE", TestEngine.workspaceImage(),
                "ARCX_IMAGES_PULL_BASE", "false",
                "ARCX_IMAGES_BUILD_MEMORY", "512M"));
    }

    @AfterAll
    static void stopIt() throws InterruptedException {
        if (otherBuilder != null) {
            otherBuilder.stopGracefully();
        }
        TestEngine.removeImagesTagged(OTHER_VERSION);
    }

    @Test
    void ensureRequestsAreAnsweredByTheirOwnInstallationsBuilderOnly() throws Exception {
        List<CompletableFuture<ImageEnsureReply>> asks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            asks.add(CompletableFuture.supplyAsync(() -> imageBuilder.ensure(ImageSelection.of("js", List.of("gui")))
                    .orElseThrow(() -> new AssertionError("no image-builder answered"))));
        }
        for (CompletableFuture<ImageEnsureReply> ask : asks) {
            ImageEnsureReply reply = ask.get();
            assertTrue(reply.status() == ImageEnsureReply.Status.BUILDING
                    || reply.status() == ImageEnsureReply.Status.READY, "answer: " + reply);
            assertEquals("arcx-js-gui:" + ImageBuilderResource.VERSION, reply.image(), "answered by our builder");
        }
        assertEquals(1, builds(ImageBuilderResource.baseUri()).size(), "one build for one combination");
        assertEquals(List.of(), builds(otherBuilder.baseUri()), "the other installation's builder heard nothing");

        // The other installation's builder answers its own installation's requests.
        Message answer = nats.request(OTHER.images().ensure(), EventCodec.encode(ImageSelection.of("js",
                List.of("gui"))), Duration.ofSeconds(10));
        assertNotNull(answer, "the other installation's builder answers its own");
        assertEquals("arcx-js-gui:" + OTHER_VERSION, EventCodec.decode(answer.getData(), ImageEnsureReply.class)
                .image());
    }

    @Test
    void workspaceEventsAndAuditEntriesStayWithinTheInstallation() throws Exception {
        Subscription ourEvents = nats.subscribe(subjects.allWorkspaceEvents());
        Subscription ourAudit = nats.subscribe(subjects.allAuditEvents());
        Subscription theirEvents = nats.subscribe(OTHER.allWorkspaceEvents());
        Subscription theirAudit = nats.subscribe(OTHER.allAuditEvents());
        nats.flush(Duration.ofSeconds(2));
        Api.TestUser user = Api.newUser("pro");
        String id = Api.createWorkspace(user, "isolated", "starter", List.of());
        Api.deleteWorkspace(user, id);

        assertTrue(heard(ourEvents, message -> EventCodec.decode(message.getData(), WorkspaceEvent.class)
                .workspaceId().toString().equals(id)), "the workspace's events are on our subjects");
        assertTrue(heard(ourAudit, message -> EventCodec.decode(message.getData(), AuditEvent.class).targetId()
                .equals(id)), "its audit entries are on our subjects");
        assertEquals(null, theirEvents.nextMessage(Duration.ofMillis(500)), "no workspace event of ours reached them");
        assertEquals(null, theirAudit.nextMessage(Duration.ofMillis(500)), "no audit entry of ours reached them");
        for (Subscription subscription : List.of(ourEvents, ourAudit, theirEvents, theirAudit)) {
            subscription.unsubscribe();
        }
    }

    @Test
    void anInstallationNameNatsCannotCarryStopsTheServiceWithTheReason() throws Exception {
        ServiceProcess refused = null;
        try {
            refused = ServiceProcess.imageBuilder("image-builder-bad-installation", Map.of(
                    "ARCX_INSTALLATION", "arcx.test"));
        } catch (RuntimeException | AssertionError expected) {
            // It exited instead of becoming ready.
        }
        if (refused != null) {
            refused.process().destroyForcibly();
            throw new AssertionError("an image-builder started as installation 'arcx.test'");
        }
        String log = Files.readString(Path.of("target", "service-processes",
                "image-builder-bad-installation.log"));
        assertTrue(log.contains("arcx.installation (ARCX_INSTALLATION) must be"), log);
    }

    @Test
    void aSessionEndedInOneInstallationStaysValidInAnother() {
        Api.TestUser user = Api.newUser("pro");
        String leaving = TestSessions.open(user);
        String ours = ImageBuilderResource.baseUri();
        String theirs = otherBuilder.baseUri();
        given().baseUri(ours).auth().oauth2(leaving).get("/api/images").then().statusCode(200);
        given().baseUri(theirs).auth().oauth2(leaving).get("/api/images").then().statusCode(200);

        String csrf = SessionCookies.csrfToken(leaving);
        given().cookie(SessionCookies.SESSION, leaving).cookie(SessionCookies.CSRF, csrf)
                .header(SessionCookies.CSRF_HEADER, csrf).post("/auth/logout").then().statusCode(204);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> given()
                .baseUri(ours).auth().oauth2(leaving).get("/api/images").statusCode() == 401);
        // The other installation shares the session secret here (tests' own), not the revocations: its own
        // orchestrator never ended the session.
        given().baseUri(theirs).auth().oauth2(leaving).get("/api/images").then().statusCode(200);
    }

    /** Whether a message {@code wanted} arrives within moments (others, of other tests, are passed over). */
    private static boolean heard(Subscription subscription, Predicate<Message> wanted)
            throws InterruptedException {
        for (Message m = subscription.nextMessage(Duration.ofSeconds(5)); m != null;
                m = subscription.nextMessage(Duration.ofSeconds(5))) {
            if (wanted.test(m)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> builds(String builder) {
        List<String> images = given().baseUri(builder).auth().oauth2(TestTokens.ADMIN_TOKEN).get("/api/images/builds")
                .then().statusCode(200).extract().jsonPath().getList("image");
        assertNotNull(images);
        return images.stream().filter(image -> image.startsWith("arcx-js-gui:")).toList();
    }
}
