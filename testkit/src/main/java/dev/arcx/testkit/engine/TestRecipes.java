package dev.arcx.testkit.engine;

import dev.arcx.testkit.TestSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * The image-builder's test recipes ({@code image-builder/src/test/resources/recipes}: busybox steps that build in
 * seconds), copied for one test run, so tests may change and break recipes without touching the checkout.
 */
public final class TestRecipes {
    private TestRecipes() {
    }

    /** A fresh copy of the recipe tree in a new temporary directory named after {@code prefix}. */
    public static Path copy(String prefix) {
        try {
            Path copy = Files.createTempDirectory(prefix);
            Path from = TestSettings.repositoryRoot().resolve("image-builder/src/test/resources/recipes");
            try (Stream<Path> files = Files.walk(from)) {
                for (Path file : files.toList()) {
                    Path target = copy.resolve(from.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING,
                                StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
