package dev.arcx.imagebuilder.build;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.BuildResponseItem;
import com.github.dockerjava.api.model.Image;
import dev.arcx.imagebuilder.config.ImageBuilderConfig;
import dev.arcx.imagebuilder.recipe.Layer;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** The image-builder's engine work: inspect, build, list, remove. Blocking: call from worker or virtual threads. */
@ApplicationScoped
public class ImageEngine {
    /** Every image built here carries its layer kind ({@code base}, {@code flavor}, {@code addon}). */
    public static final String LABEL_KIND = "dev.arcx.image";
    /** The chained recipe hash the image was built from: a different hash means the image is stale. */
    public static final String LABEL_HASH = "dev.arcx.recipe-hash";
    public static final String LABEL_LAYER = "dev.arcx.layer";

    private final DockerClient docker;
    private final ImageBuilderConfig config;

    ImageEngine(DockerClient docker, ImageBuilderConfig config) {
        this.docker = docker;
        this.config = config;
    }

    public Optional<InspectImageResponse> inspect(String image) {
        try {
            return Optional.of(docker.inspectImageCmd(image).exec());
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (BadRequestException e) {
            // Not an image reference at all (a name from a request, "-1", " "): it names no image either.
            return Optional.empty();
        }
    }

    /** Whether the engine answers at all (it may be restarting). */
    public boolean reachable() {
        try {
            docker.pingCmd().exec();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Whether {@code layer}'s image exists and was built from the same recipes as now. */
    public boolean current(Layer layer) {
        return inspect(layer.image()).map(i -> i.getConfig() != null && i.getConfig().getLabels() != null
                && layer.hash().equals(i.getConfig().getLabels().get(LABEL_HASH))).orElse(false);
    }

    /**
     * The image the base recipe starts from: the configured one when the engine has it or can pull it, else a root
     * filesystem bootstrapped from Debian's packages (once; the script caches it by content hash).
     */
    public String rootImage(Consumer<String> log) {
        String wanted = config.images().baseImage();
        if (inspect(wanted).isPresent()) {
            return wanted;
        }
        if (config.images().pullBaseImage()) {
            log.accept("pulling " + wanted);
            try {
                docker.pullImageCmd(wanted).start().awaitCompletion(2, TimeUnit.MINUTES);
                if (inspect(wanted).isPresent()) {
                    return wanted;
                }
            } catch (RuntimeException e) {
                log.accept("cannot pull " + wanted + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while pulling " + wanted, e);
            }
        }
        log.accept("bootstrapping a Debian " + config.images().bootstrapSuite() + " root filesystem instead of "
                + wanted);
        return bootstrap(log);
    }

    private String bootstrap(Consumer<String> log) {
        List<String> command = List.of("bash", config.images().bootstrapScript().toString(), "arcx-rootfs",
                config.images().bootstrapSuite(),
                config.images().recipes().resolve("base").resolve("rootfs-packages").toString());
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
            process.getOutputStream().close();
            Thread errors = Thread.ofVirtual().start(() -> lines(process.getErrorStream(), log));
            List<String> out = new ArrayList<>();
            lines(process.getInputStream(), out::add);
            boolean done = process.waitFor(config.images().build().timeout().toMillis(), TimeUnit.MILLISECONDS);
            errors.join();
            if (!done) {
                process.destroyForcibly();
                throw new IllegalStateException("the root filesystem bootstrap did not finish in time");
            }
            if (process.exitValue() != 0 || out.isEmpty()) {
                throw new IllegalStateException("the root filesystem bootstrap failed (exit " + process.exitValue()
                        + ")");
            }
            return out.getLast().strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while bootstrapping", e);
        }
    }

    private static void lines(java.io.InputStream stream, Consumer<String> sink) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            reader.lines().forEach(sink);
        } catch (IOException e) {
            sink.accept("(output lost: " + e.getMessage() + ")");
        }
    }

    /**
     * Builds {@code layer} from its context on top of {@code parent} and tags it; the engine applies the tag only when
     * every step succeeded, so a failed build leaves the previous image (or none) under the name. Output lines go to
     * {@code log}. Throws with the engine's error when a step fails or the time is up.
     */
    public void build(Layer layer, String parent, byte[] context, Duration timeout, Consumer<String> log) {
        long memory = config.images().build().memory().asLongValue();
        var command = docker.buildImageCmd().withTarInputStream(new ByteArrayInputStream(context))
                .withTags(Set.of(layer.image()))
                .withBuildArg("BASE", parent)
                .withLabels(Map.of(LABEL_KIND, layer.kind().name().toLowerCase(), LABEL_HASH, layer.hash(),
                        LABEL_LAYER, layer.id()))
                .withPull(false)
                .withNoCache(config.images().build().noCache())
                .withRemove(true)
                .withForcerm(true)
                .withMemory(memory)
                .withMemswap(memory)
                .withCpushares(String.valueOf(config.images().build().cpuShares()));
        config.images().build().cpuset().ifPresent(command::withCpusetcpus);
        BuildImageResultCallback callback = command.exec(new BuildImageResultCallback() {
            @Override
            public void onNext(BuildResponseItem item) {
                if (item.getStream() != null) {
                    item.getStream().lines().filter(l -> !l.isBlank()).forEach(log);
                }
                if (item.getErrorDetail() != null) {
                    log.accept("error: " + item.getErrorDetail().getMessage());
                }
                super.onNext(item);
            }
        });
        try (callback) {
            // Throws with the engine's message when a step fails; closing the callback on the way out cancels a
            // build that is still running (the engine stops a build whose client went away).
            callback.awaitImageId(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Images built here (any layer kind), newest first. */
    public List<Image> list() {
        return docker.listImagesCmd().withLabelFilter(LABEL_KIND).exec();
    }

    /** Containers (running or not) created from {@code image}. */
    public List<String> containersUsing(String image) {
        return docker.listContainersCmd().withShowAll(true).withAncestorFilter(List.of(image)).exec().stream()
                .map(c -> c.getNames() != null && c.getNames().length > 0 ? c.getNames()[0] : c.getId()).toList();
    }

    /** Untags {@code image}; the engine frees the layers no other image needs. */
    public void remove(String image) {
        docker.removeImageCmd(image).withForce(false).exec();
    }
}
