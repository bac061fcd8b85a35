package dev.arcx.orchestrator.images;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The images feature is below the features that wait for images: it imports the orchestrator's infrastructure
 * ({@code config}, {@code support}), {@code common} and libraries, never another feature, so whoever needs images
 * depends on it and not the other way round.
 */
class ImagesFeatureImportsTest {
    /** An import or a qualified name alike. */
    private static final Pattern REFERENCE = Pattern.compile("dev\\.arcx\\.orchestrator\\.[a-z]+");
    private static final List<String> ALLOWED = List.of("dev.arcx.orchestrator.images", "dev.arcx.orchestrator.config",
            "dev.arcx.orchestrator.support");

    @Test
    void importsNoOtherFeature() throws IOException {
        Path root = Path.of(System.getProperty("test.repository.root", "..")).toAbsolutePath().normalize()
                .resolve("orchestrator/src/main/java/dev/arcx/orchestrator/images");
        List<Path> sources;
        try (Stream<Path> files = Files.list(root)) {
            sources = files.filter(f -> f.toString().endsWith(".java")).toList();
        }
        assertTrue(sources.size() >= 2, "the images feature's sources in " + root);
        for (Path source : sources) {
            Matcher referenced = REFERENCE.matcher(Files.readString(source));
            while (referenced.find()) {
                String pkg = referenced.group();
                assertTrue(ALLOWED.contains(pkg), source.getFileName() + " imports " + pkg);
            }
        }
    }
}
