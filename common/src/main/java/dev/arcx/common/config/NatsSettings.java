package dev.arcx.common.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The NATS settings of every service ({@code arcx.nats.*}), a group of each service's config mapping. */
public interface NatsSettings {
    /** NATS server with JetStream ({@code ARCX_NATS_URL}). */
    @WithDefault("nats://127.0.0.1:4222")
    String url();

    /** Bound on one connection attempt; reconnection itself never gives up. */
    @WithDefault("5s")
    Duration connectTimeout();

    /** How long JetStream keeps events. */
    @WithDefault("7d")
    Duration eventRetention();
}
