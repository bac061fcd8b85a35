package dev.arcx.imagebuilder.build;

import static dev.arcx.testkit.callers.Callers.admin;
import static dev.arcx.imagebuilder.testsupport.TestSessions.user;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arcx.common.events.EventCodec;
import dev.arcx.common.events.Subjects;
import dev.arcx.common.images.ImageEnsureReply;
import dev.arcx.common.images.ImageSelection;
import dev.arcx.common.images.ImageSubjects;
import dev.arcx.testkit.fuzz.ErrorLog;
import dev.arcx.imagebuilder.fuzz.FuzzCoverageTest;
import dev.arcx.imagebuilder.testsupport.BuilderTestResource;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A caller names recipes; the recipes name the images. Whatever a caller sends, over HTTP or NATS, that has no
 * recipe, is malformed, or combines add-ons their recipes exclude is refused with its reason (400 problem+json, a
 * {@code refused} reply), and nothing is built or tagged.
 */
@QuarkusTest
@QuarkusTestResource(BuilderTestResource.class)
public class SelectionRefusalTest {
    private static Connection nats;
    private static ImageSubjects subjects;

    @BeforeAll
    static void connect() throws IOException, InterruptedException {
        nats = Nats.connect(System.getenv().getOrDefault("ARCX_NATS_URL", "nats://127.0.0.1:4222"));
        subjects = new Subjects(ConfigProvider.getConfig().getValue("arcx.installation", String.class)).images();
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        nats.close();
    }

    /**
     * Replaces a recipe's declaration in the tests' recipe copy for the length of {@code check}: what the operator
     * of an installation would edit.
     */
    public static void declaring(String recipe, String declaration, Runnable check) {
        Path file = BuilderTestResource.recipes().resolve(recipe).resolve("recipe.properties");
        try {
            String original = Files.readString(file);
            Files.writeString(file, declaration);
            try {
                check.run();
            } finally {
                Files.writeString(file, original);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void selectionsWithoutRecipesOrWithMalformedIdsAreRefusedOverHttpAndNats() {
        assertRefused(Map.of("flavor", "cobol"), "unknown flavor 'cobol'");
        assertRefused(Map.of("flavor", "js", "addons", List.of("jetpack")), "unknown add-on 'jetpack'");
        // Ids name directories of the recipe tree: nothing that could leave it, nothing the tree could not hold.
        assertRefused(Map.of("flavor", "../base"), "'../base' is not a flavor id");
        assertRefused(Map.of("flavor", ".."), "'..' is not a flavor id");
        assertRefused(Map.of("flavor", "js", "addons", List.of("../../flavors/python")),
                "is not an add-on id");
        assertRefused(Map.of("flavor", "JS"), "'JS' is not a flavor id");
        assertRefused(Map.of("flavor", "js", "addons", List.of("gui", "gui")), "listed twice");
        // A payload of a version this image-builder does not read yet.
        assertRefused(Map.of("version", ImageSelection.CURRENT_VERSION + 1, "flavor", "js"),
                "selection version " + (ImageSelection.CURRENT_VERSION + 1));
        assertRefused(Map.of("version", -1, "flavor", "js"), "selection version -1");
    }

    @Test
    void addOnsTheirRecipesExcludeAreRefusedWhicheverSideDeclaresIt() {
        declaring("addons/cloud", "suffix=-cloud\nincompatible-with=databases, gui\n", () -> {
            assertRefused(Map.of("flavor", "python", "addons", List.of("gui", "cloud")),
                    "add-on 'cloud' cannot be combined with 'gui'");
            assertRefused(Map.of("flavor", "python", "addons", List.of("cloud", "databases", "code-server")),
                    "add-on 'cloud' cannot be combined with 'databases'");
        });
    }

    @Test
    void recipesDeclaringNamesThatAreNotArcxImagesBuildNothing() {
        // A flavor's repository must be arcx's own and not the base's: no recipe re-tags another program's image.
        for (String repository : List.of("postgres", "arcx-base", "arcx-rootfs", "arcx-", "arcx-JS", "")) {
            declaring("flavors/python", "repository=" + repository + "\n", () -> assertRefused(
                    Map.of("flavor", "python"), "declares no valid image repository"));
        }
        for (String suffix : List.of("code", "-", "-a:b", "-a/b", "")) {
            declaring("addons/gui", "suffix=" + suffix + "\n", () -> assertRefused(
                    Map.of("flavor", "python", "addons", List.of("gui")), "declares no valid image suffix"));
        }
        // Two add-ons under one suffix would give two combinations one name.
        declaring("addons/gui", "suffix=-db\n", () -> assertRefused(
                Map.of("flavor", "python", "addons", List.of("gui", "databases")), "image suffix '-db' twice"));
        // A recipe without its declaration is not one the image-builder can name.
        Path declaration = BuilderTestResource.recipes().resolve("flavors/python/recipe.properties");
        Path aside = declaration.resolveSibling("recipe.properties.aside");
        try {
            Files.move(declaration, aside);
            assertRefused(Map.of("flavor", "python"), "no readable recipe.properties");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            try {
                Files.move(aside, declaration);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void malformedNatsRequestsAreRefusedWithAReason() {
        String before = FuzzCoverageTest.state();
        try (ErrorLog errors = ErrorLog.open()) {
            for (String body : List.of("not json", "null", "[]", "{\"flavor\": 7}", "{\"flavor\": \"js\", \"addons\": \"gui\"}",
                    "{\"flavor\": \"js\", \"colour\": \"red\"}", "{\"flavor\": \"js\", \"addons\": [null]}",
                    "{\"version\": \"one\", \"flavor\": \"js\"}", "{}")) {
                ImageEnsureReply reply = natsReply(body.getBytes(StandardCharsets.UTF_8));
                assertEquals(ImageEnsureReply.Status.REFUSED, reply.status(), body + ": " + reply);
                assertTrue(reply.error() != null && !reply.error().isBlank(), body);
                assertNull(reply.image(), body);
                assertNull(reply.buildId(), body);
            }
            assertEquals(List.of(), errors.since(0));
        }
        assertEquals(before, FuzzCoverageTest.state(), "a refusal builds nothing and tags nothing");
    }

    /**
     * Asks over HTTP (a user's session) and over NATS: both refuse with the reason, and neither starts a build or
     * adds an image.
     */
    private static void assertRefused(Map<String, Object> selection, String reason) {
        String before = FuzzCoverageTest.state();
        user().body(selection).post("/api/images/builds").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString(reason));
        ImageEnsureReply reply = natsReply(EventCodec.encode(selection));
        assertEquals(ImageEnsureReply.Status.REFUSED, reply.status(), reply.toString());
        assertTrue(reply.error().contains(reason), reply.error());
        assertEquals(before, FuzzCoverageTest.state(), "a refusal builds nothing and tags nothing: " + selection);
    }

    private static ImageEnsureReply natsReply(byte[] body) {
        try {
            Message reply = nats.request(subjects.ensure(), body, Duration.ofSeconds(10));
            if (reply == null) {
                throw new AssertionError("no answer to " + subjects.ensure());
            }
            return EventCodec.decode(reply.getData(), ImageEnsureReply.class);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
