package dev.arcx.imagebuilder.testsupport;

import com.github.dockerjava.api.DockerClient;
import dev.arcx.common.docker.DockerClients;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Sets the stage before Quarkus starts: a tiny root image from the host's static busybox, and a copy of the test
 * recipes the tests may edit.
 */
public class BuilderTestResource implements QuarkusTestResourceLifecycleManager {
    private static final String ROOT_REPOSITORY = "arcx-test-root";
    /** This run's image version: every image the tests build is new, and removed at the end. */
    public static final String VERSION = "t" + java.util.UUID.randomUUID().toString().substring(0, 8);
    private static Path recipes;
    private static DockerClient docker;

    /** The recipe tree the service builds from: a copy, so tests can change and break recipes. */
    public static synchronized Path recipes() {
        if (recipes == null) {
            try {
                recipes = Files.createTempDirectory("arcx-test-recipes");
                copy(resources().resolve("recipes"), recipes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return recipes;
    }

    public static synchronized DockerClient docker() {
        if (docker == null) {
            docker = DockerClients.create(System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock"),
                    "1.41", Duration.ofMinutes(2));
        }
        return docker;
    }

    public static Path repositoryRoot() {
        return Path.of(System.getProperty("test.repository.root", "..")).toAbsolutePath().normalize();
    }

    @Override
    public Map<String, String> start() {
        return Map.of("arcx.images.recipes", recipes().toString(), "arcx.images.version", VERSION,
                "arcx.images.base-image", rootImage(),
                "arcx.images.bootstrap-script", repositoryRoot().resolve("images/bootstrap-rootfs.sh").toString());
    }

    @Override
    public void stop() {
        // The root image stays, cached by content hash; this run's images go.
        for (var image : docker().listImagesCmd().withLabelFilter("dev.arcx.image").exec()) {
            for (String tag : image.getRepoTags() == null ? new String[0] : image.getRepoTags()) {
                if (tag.endsWith(":" + VERSION)) {
                    try {
                        docker().removeImageCmd(tag).exec();
                    } catch (RuntimeException e) {
                        // Still used by a test container that is on its way out; the engine keeps it.
                    }
                }
            }
        }
    }

    /** busybox on an empty image, tagged by the hash of its inputs so an unchanged one is reused. */
    public static synchronized String rootImage() {
        try {
            Path context = Files.createTempDirectory("arcx-test-root");
            Files.copy(resources().resolve("root-image/Dockerfile"), context.resolve("Dockerfile"));
            Path busybox = Path.of("/bin/busybox");
            if (!Files.isRegularFile(busybox)) {
                throw new IllegalStateException("/bin/busybox is missing: install busybox-static (./arcx infra does)");
            }
            Files.copy(busybox, context.resolve("busybox"));
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(Files.readAllBytes(context.resolve("Dockerfile")));
            digest.update(Files.readAllBytes(context.resolve("busybox")));
            String tag = ROOT_REPOSITORY + ":" + HexFormat.of().formatHex(digest.digest()).substring(0, 12);
            try {
                docker().inspectImageCmd(tag).exec();
            } catch (com.github.dockerjava.api.exception.NotFoundException missing) {
                docker().buildImageCmd(context.toFile()).withTags(Set.of(tag)).withPull(false)
                        .start().awaitImageId();
            }
            return tag;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path resources() {
        return repositoryRoot().resolve("image-builder/src/test/resources");
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
