package dev.arcx.testkit.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The sandbox runtime image (Debian with python3, node and bash), built by images/sandbox-runtime/build.sh: the same
 * script ./arcx runs, so the tests and a local installation always agree on the image and share its content-hash
 * cache. A cached image costs one docker lookup; the first build bootstraps Debian and takes about a minute.
 */
public final class SandboxImage {
    private static final String BUILD_SCRIPT = "images/sandbox-runtime/build.sh";
    // A first build downloads and unpacks ~150 Debian packages; a hung mirror must still fail the run.
    private static final long BUILD_TIMEOUT_MINUTES = 10;
    private static final int LOG_TAIL_LINES = 40;
    private static String tag;

    private SandboxImage() {
    }

    /** The image's tag, arcx-sandbox-runtime:&lt;hash&gt;, building it first if it is missing. */
    public static synchronized String tag() {
        if (tag == null) {
            tag = build();
        }
        return tag;
    }

    private static String build() {
        Path script = buildScript();
        try {
            // Files rather than pipes: nothing has to drain them while we wait, and the log survives a failure.
            Path stdout = Files.createTempFile("arcx-sandbox-image", ".tag");
            Path log = Files.createTempFile("arcx-sandbox-image", ".log");
            List<String> lines;
            try {
                Process process = new ProcessBuilder(script.toString()).redirectOutput(stdout.toFile())
                        .redirectError(log.toFile()).start();
                if (!process.waitFor(BUILD_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                    stop(process);
                    throw new IllegalStateException(script + " did not finish within " + BUILD_TIMEOUT_MINUTES
                            + " min; log " + log + ":\n" + tail(log));
                }
                lines = readLines(stdout).stream().filter(line -> !line.isBlank()).toList();
                if (process.exitValue() != 0 || lines.isEmpty()) {
                    throw new IllegalStateException(script + " failed (exit " + process.exitValue() + "); log "
                            + log + ":\n" + tail(log));
                }
            } finally {
                Files.deleteIfExists(stdout);
            }
            Files.delete(log);
            return lines.getLast().trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building the sandbox runtime image", e);
        }
    }

    /**
     * TERM to the children first: debootstrap then unmounts what it mounted in its target, and build.sh's exit trap
     * removes the half-made root filesystem; KILL only if they ignore it.
     */
    private static void stop(Process process) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /**
     * Surefire and Failsafe run in the orchestrator module, whose parent holds images/; an IDE may start elsewhere
     * in the checkout, so the script is searched upwards from the working directory.
     */
    private static Path buildScript() {
        Path moduleRelative = Path.of("..").resolve(BUILD_SCRIPT);
        if (Files.isRegularFile(moduleRelative)) {
            return moduleRelative.toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(BUILD_SCRIPT);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(BUILD_SCRIPT + " not found in " + Path.of("").toAbsolutePath()
                + " or any parent directory");
    }

    /** Lenient about encoding: a stray byte in debootstrap's output must not hide the error it explains. */
    private static List<String> readLines(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = readLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    }
}
