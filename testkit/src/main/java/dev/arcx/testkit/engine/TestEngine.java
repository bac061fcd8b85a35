package dev.arcx.testkit.engine;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.command.ExecCreateCmdResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.arcx.testkit.TestSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The tests' own handle on the real Docker engine: builds the tiny workspace image (no registry needed, cached by
 * content hash) and runs commands inside containers.
 */
public final class TestEngine {
    private static final String IMAGE_REPOSITORY = "arcx-test-workspace";
    private static DockerClient client;
    private static String image;

    private TestEngine() {
    }

    /** The machine's engine ({@link TestSettings#dockerHost()}). */
    public static synchronized DockerClient docker() {
        if (client == null) {
            client = client(TestSettings.dockerHost(), Duration.ofSeconds(30));
        }
        return client;
    }

    /** A client of the engine at {@code host}, on the API version the services pin. */
    public static DockerClient client(String host, Duration connectTimeout) {
        var config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host)
                .withApiVersion("1.41").build();
        return DockerClientImpl.getInstance(config, new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost()).connectionTimeout(connectTimeout)
                .responseTimeout(Duration.ofSeconds(120)).build());
    }

    /**
     * The workspace image: this kit's {@code workspace-image} resources and the host's static busybox (see
     * {@link #busyboxImage}).
     */
    public static synchronized String workspaceImage() {
        if (image == null) {
            Map<String, byte[]> files = new LinkedHashMap<>();
            for (String file : List.of("Dockerfile", "ws-echo")) {
                try (InputStream content = TestEngine.class.getResourceAsStream("/workspace-image/" + file)) {
                    files.put(file, content.readAllBytes());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            image = busyboxImage(IMAGE_REPOSITORY, files);
        }
        return image;
    }

    /**
     * An image built locally (no registry) from {@code files} (a Dockerfile among them) and the host's static
     * busybox beside them, tagged {@code repository:<hash of the files>}: built once, found again by later runs.
     */
    public static synchronized String busyboxImage(String repository, Map<String, byte[]> files) {
        try {
            Path context = Files.createTempDirectory("arcx-test-image");
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (var file : files.entrySet()) {
                Files.write(context.resolve(file.getKey()), file.getValue());
                digest.update(file.getValue());
            }
            Path busybox = Path.of("/bin/busybox");
            if (!Files.isRegularFile(busybox)) {
                throw new IllegalStateException("/bin/busybox is missing: install the busybox-static package "
                        + "(./arcx test does it)");
            }
            Files.copy(busybox, context.resolve("busybox"));
            digest.update(Files.readAllBytes(context.resolve("busybox")));
            String tag = repository + ":" + HexFormat.of().formatHex(digest.digest()).substring(0, 12);
            try {
                docker().inspectImageCmd(tag).exec();
            } catch (NotFoundException missing) {
                docker().buildImageCmd(context.toFile()).withTags(Set.of(tag)).withPull(false)
                        .exec(new BuildImageResultCallback()).awaitImageId(5, TimeUnit.MINUTES);
            }
            return tag;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot build the test image " + repository, e);
        }
    }

    /**
     * A variant of the workspace image with another command, e.g. one that never serves HTTP or one that crashes,
     * for the failure paths. Cached by its command like the base image.
     */
    public static synchronized String workspaceImageRunning(String name, String shellCommand) {
        String tag = "arcx-test-" + name + ":" + Integer.toHexString((workspaceImage() + shellCommand).hashCode());
        try {
            docker().inspectImageCmd(tag).exec();
            return tag;
        } catch (NotFoundException missing) {
            // Built below.
        }
        try {
            Path context = Files.createTempDirectory("arcx-ws-variant");
            Files.writeString(context.resolve("Dockerfile"), "FROM " + workspaceImage() + "\nCMD [\"sh\", \"-c\", \""
                    + shellCommand.replace("\"", "\\\"") + "\"]\n");
            docker().buildImageCmd(context.toFile()).withTags(Set.of(tag)).withPull(false)
                    .exec(new BuildImageResultCallback()).awaitImageId(2, TimeUnit.MINUTES);
            return tag;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes every container, network and volume carrying the label {@code key=value}; gone already is fine. */
    public static void removeLabelled(String key, String value) {
        String label = key + "=" + value;
        docker().listContainersCmd().withShowAll(true).withLabelFilter(Map.of(key, value)).exec()
                .forEach(c -> ignoringGone(() -> docker().removeContainerCmd(c.getId()).withForce(true).exec()));
        docker().listNetworksCmd().withFilter("label", List.of(label)).exec()
                .forEach(n -> ignoringGone(() -> docker().removeNetworkCmd(n.getId()).exec()));
        docker().listVolumesCmd().withFilter("label", List.of(label)).exec().getVolumes()
                .forEach(v -> ignoringGone(() -> docker().removeVolumeCmd(v.getName()).exec()));
    }

    /** Removes every image built by arcx whose tag is {@code version}; one still in use stays. */
    public static void removeImagesTagged(String version) {
        for (var image : docker().listImagesCmd().withLabelFilter("dev.arcx.image").exec()) {
            for (String tag : image.getRepoTags() == null ? new String[0] : image.getRepoTags()) {
                if (tag.endsWith(":" + version)) {
                    try {
                        docker().removeImageCmd(tag).exec();
                    } catch (RuntimeException inUse) {
                        // A container of the test is still on its way out.
                    }
                }
            }
        }
    }

    private static void ignoringGone(Runnable removal) {
        try {
            removal.run();
        } catch (NotFoundException gone) {
            // Removed meanwhile, which is all we want.
        }
    }

    /** Runs a command in a container as the given user and answers its exit code and combined output. */
    public static ExecResult exec(String container, String user, String... command) {
        ExecCreateCmdResponse created = docker().execCreateCmd(container).withUser(user).withAttachStdout(true)
                .withAttachStderr(true).withCmd(command).exec();
        StringBuilder out = new StringBuilder();
        try {
            docker().execStartCmd(created.getId()).exec(new com.github.dockerjava.api.async.ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame frame) {
                    out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                }
            }).awaitCompletion(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Long code = docker().inspectExecCmd(created.getId()).exec().getExitCodeLong();
        return new ExecResult(code == null ? -1 : code.intValue(), out.toString());
    }

    /**
     * An HTTP request sent with nc from inside the workspace, as its user: exit 0 only when an HTTP answer came back.
     * (nc's own exit code is no proof: busybox nc reports success when its timeout expires, so a dropped connection
     * would pass for an open one; the static busybox's wget cannot resolve even a numeric address.)
     */
    public static ExecResult probe(String container, String host, int port) {
        ExecResult sent = exec(container, "1000:1000", "sh", "-c",
                "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 " + host + " " + port);
        return new ExecResult(sent.output().contains("HTTP/1.") ? 0 : 1, sent.output());
    }

    public record ExecResult(int exitCode, String output) {
    }
}
