package dev.arcx.imagebuilder.recipe;

import dev.arcx.imagebuilder.config.ImageBuilderConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The recipe tree ({@code base/}, {@code flavors/<id>/}, {@code addons/<id>/}, each with a Dockerfile starting
 * {@code ARG BASE} / {@code FROM ${BASE}}, and {@code lib/} with scripts several recipes share): where each recipe
 * is, what it declares about its image ({@code recipe.properties}), what it hashes to, and its build context (its
 * directory plus the {@code lib/} scripts its Dockerfile names).
 */
@ApplicationScoped
public class Recipes {
    /** Put into the base recipe's context: the extra CA bundle, or an empty file when none is configured. */
    public static final String EXTRA_CA_FILE = "extra-ca.pem";
    /** What a flavor or add-on recipe declares about its image: its name, and for add-ons what they exclude. */
    public static final String DECLARATION_FILE = "recipe.properties";
    /**
     * Files that do not shape an image: editing them rebuilds nothing, and they stay out of the context. The
     * declaration names the image and says what may be combined, neither of which is in the image.
     */
    private static final Set<String> NOT_INPUTS = Set.of(".gitignore", EXTRA_CA_FILE, DECLARATION_FILE);
    /** A {@code COPY} or {@code ADD} instruction: its sources may name shared scripts ({@code COPY lib/js.sh …}). */
    private static final Pattern COPY = Pattern.compile("(?im)^\\s*(?:COPY|ADD)\\s+(.+)$");
    private static final Pattern LIB_SCRIPT = Pattern.compile("lib/([A-Za-z0-9][A-Za-z0-9._-]*)");

    private final ImageBuilderConfig config;

    Recipes(ImageBuilderConfig config) {
        this.config = config;
    }

    public Path base() {
        return config.images().recipes().resolve("base");
    }

    /**
     * A flavor's recipe as its declaration reads, if the tree has one.
     *
     * @param id a well-formed id ({@link ImagePlanner} checks it first): it names a directory
     * @throws RecipeException when the recipe's declaration is missing or broken
     */
    public Optional<FlavorRecipe> flavor(String id) {
        return existing(flavors().resolve(id)).map(dir -> {
            Properties declared = declaration(dir);
            return new FlavorRecipe(id, dir, declared.getProperty("repository", "").trim());
        });
    }

    /**
     * An add-on's recipe as its declaration reads, if the tree has one.
     *
     * @param id a well-formed id ({@link ImagePlanner} checks it first): it names a directory
     * @throws RecipeException when the recipe's declaration is missing or broken
     */
    public Optional<AddonRecipe> addon(String id) {
        return existing(addons().resolve(id)).map(dir -> {
            Properties declared = declaration(dir);
            List<String> incompatible = Stream.of(declared.getProperty("incompatible-with", "").split(","))
                    .map(String::trim).filter(other -> !other.isEmpty()).toList();
            return new AddonRecipe(id, dir, declared.getProperty("suffix", "").trim(), incompatible);
        });
    }

    /** The ids of the flavors the tree has recipes for, sorted. */
    public List<String> flavorIds() {
        return ids(flavors());
    }

    /** The ids of the add-ons the tree has recipes for, sorted. */
    public List<String> addonIds() {
        return ids(addons());
    }

    /** A flavor's recipe and the repository its layer is tagged as ({@code arcx-js}). */
    public record FlavorRecipe(String id, Path dir, String repository) {
    }

    /**
     * An add-on's recipe, the suffix its layer adds to the image name ({@code -code}) and the add-ons it cannot be
     * layered together with.
     */
    public record AddonRecipe(String id, Path dir, String suffix, List<String> incompatibleWith) {
    }

    /** A recipe the tree holds but whose declaration cannot be read: the operator's to fix, not the caller's. */
    public static class RecipeException extends RuntimeException {
        RecipeException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private Path flavors() {
        return config.images().recipes().resolve("flavors");
    }

    private Path addons() {
        return config.images().recipes().resolve("addons");
    }

    private static List<String> ids(Path kind) {
        if (!Files.isDirectory(kind)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(kind)) {
            return dirs.filter(dir -> existing(dir).isPresent()).map(dir -> dir.getFileName().toString()).sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the recipes in " + kind, e);
        }
    }

    private static Properties declaration(Path dir) {
        Properties declared = new Properties();
        try (var in = Files.newBufferedReader(dir.resolve(DECLARATION_FILE), StandardCharsets.UTF_8)) {
            declared.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new RecipeException("the recipe " + dir + " has no readable " + DECLARATION_FILE + ": " + e, e);
        }
        return declared;
    }

    /** The extra CA bundle's bytes, empty when none is configured. */
    public byte[] extraCa() {
        return config.images().extraCaBundle().map(path -> {
            try {
                return Files.readAllBytes(path);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the extra CA bundle " + path, e);
            }
        }).orElse(new byte[0]);
    }

    /** A digest of the extra CA bundle's bytes, for the base's hash (empty bundle included). */
    public String extraCaDigest() {
        return HexFormat.of().formatHex(sha256().digest(extraCa()));
    }

    /** A hash over the recipe's inputs (paths and contents) and {@code extra} (the chain below, settings). */
    public String hash(Path recipe, String... extra) {
        MessageDigest digest = sha256();
        for (String part : extra) {
            digest.update(part.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
        }
        for (Map.Entry<String, Path> input : inputs(recipe).entrySet()) {
            digest.update(input.getKey().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(read(input.getValue()));
            digest.update((byte) (Files.isExecutable(input.getValue()) ? 1 : 0));
        }
        return HexFormat.of().formatHex(digest.digest()).substring(0, 24);
    }

    /** The build context: the recipe's inputs as a tar stream, plus {@code extra-ca.pem} for the base. */
    public byte[] context(Path recipe, boolean withExtraCa) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, Path> input : inputs(recipe).entrySet()) {
                Path file = input.getValue();
                put(tar, input.getKey(), read(file), Files.isExecutable(file) ? 0755 : 0644);
            }
            if (withExtraCa) {
                put(tar, EXTRA_CA_FILE, extraCa(), 0644);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void put(TarArchiveOutputStream tar, String name, byte[] content, int mode) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(content.length);
        entry.setMode(mode);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    /** The recipe's inputs by their path in the context, sorted: its own files, then the lib scripts it names. */
    private Map<String, Path> inputs(Path recipe) {
        Map<String, Path> inputs = new TreeMap<>();
        try (Stream<Path> files = Files.walk(recipe)) {
            files.filter(Files::isRegularFile)
                    .filter(f -> !NOT_INPUTS.contains(f.getFileName().toString()))
                    .filter(f -> !f.getFileName().toString().endsWith(".md"))
                    .forEach(f -> inputs.put(recipe.relativize(f).toString(), f));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the recipe " + recipe, e);
        }
        Path lib = config.images().recipes().resolve("lib");
        Matcher copy = COPY.matcher(new String(read(recipe.resolve("Dockerfile")), StandardCharsets.UTF_8));
        while (copy.find()) {
            List<String> arguments = List.of(copy.group(1).trim().split("\\s+"));
            // Every argument but the last (the destination) is a source.
            for (String source : arguments.subList(0, arguments.size() - 1)) {
                Matcher named = LIB_SCRIPT.matcher(source);
                if (!named.matches()) {
                    continue;
                }
                Path script = lib.resolve(named.group(1));
                if (!Files.isRegularFile(script)) {
                    throw new IllegalStateException(recipe + "/Dockerfile copies " + source + ", which is not in "
                            + lib);
                }
                inputs.put(source, script);
            }
        }
        return inputs;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<Path> existing(Path dir) {
        return Files.isRegularFile(dir.resolve("Dockerfile")) ? Optional.of(dir) : Optional.empty();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
