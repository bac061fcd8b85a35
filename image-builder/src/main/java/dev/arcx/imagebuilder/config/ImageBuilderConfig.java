package dev.arcx.imagebuilder.config;

import dev.arcx.common.config.NatsSettings;
import dev.arcx.common.docker.DockerSettings;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Every setting of the image-builder; the environment variables are named in application.properties. */
@ConfigMapping(prefix = "arcx")
public interface ImageBuilderConfig {
    /** The administrator's bearer token ({@code ARC_ADMIN_TOKEN}). */
    String adminToken();

    /** HMAC secret of session tokens, shared with every service ({@code ARCX_SESSION_SECRET}). */
    String sessionSecret();

    /**
     * The installation this image-builder serves ({@code ARCX_INSTALLATION}), the orchestrator's: it answers that
     * installation's requests and publishes on its subjects only.
     */
    @WithDefault("arcx")
    String installation();

    NatsSettings nats();

    DockerSettings docker();

    Images images();

    interface Images {
        /** The recipes: base/, flavors/&lt;id&gt;/, addons/&lt;id&gt;/ ({@code ARCX_IMAGES_RECIPES}). */
        Path recipes();

        /** Tag of every image built ({@code arcx-<flavor>[-suffix...]:<version>}). */
        @WithDefault("0.1.0")
        String version();

        /**
         * The image the base recipe starts from. Used when present on the engine or pullable; else a root filesystem
         * is bootstrapped from Debian's packages (see {@link #bootstrapScript()}).
         */
        @WithDefault("debian:trixie-slim")
        String baseImage();

        /** Whether to try pulling {@link #baseImage()} before bootstrapping (no registry: false saves the wait). */
        @WithDefault("true")
        boolean pullBaseImage();

        /** images/bootstrap-rootfs.sh: debootstrap + import, cached by content hash. */
        Path bootstrapScript();

        /** Debian suite of a bootstrapped root filesystem. */
        @WithDefault("trixie")
        String bootstrapSuite();

        /**
         * A PEM bundle added to every image's trust store ({@code ARCX_EXTRA_CA_BUNDLE}): corporate TLS proxies, the
         * arc-proxy CA, or a host whose outbound HTTPS is intercepted.
         */
        Optional<Path> extraCaBundle();

        Build build();
    }

    interface Build {
        /** Memory (and memory+swap) of each build step's container. */
        @WithDefault("4G")
        MemorySize memory();

        /** Relative CPU weight of build containers (1024 = a normal container's): builds yield to workspaces. */
        @WithDefault("512")
        int cpuShares();

        /** CPUs build steps may use (cpuset, e.g. {@code 0-1}); every CPU when unset. */
        Optional<String> cpuset();

        /** A build of one whole combination that takes longer is cancelled and reported as failed. */
        @WithDefault("45m")
        Duration timeout();

        /** Builds of different combinations running at once; more wait in the queue. */
        @WithDefault("2")
        int maxParallel();

        /** Log lines kept per build (the live stream replays them to late subscribers). */
        @WithDefault("5000")
        int logLines();

        /** Finished builds kept for {@code GET /api/images/builds}. */
        @WithDefault("200")
        int history();

        /** Ignore the engine's step cache: every step really runs (the cold-build benchmark). */
        @WithDefault("false")
        boolean noCache();
    }
}
