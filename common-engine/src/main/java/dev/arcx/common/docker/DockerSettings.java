package dev.arcx.common.docker;

import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The engine settings of every service ({@code arcx.docker.*}), a group of each service's config mapping. */
public interface DockerSettings {
    /** Engine address, e.g. {@code unix:///var/run/docker.sock} ({@code DOCKER_HOST}). */
    @WithDefault("unix:///var/run/docker.sock")
    String host();

    /** Pinned Engine API version: behaviour must not change when the engine is upgraded underneath us. */
    @WithDefault("1.41")
    String apiVersion();

    /** Connect and response timeout for one Engine API call. */
    @WithDefault("30s")
    Duration timeout();
}
