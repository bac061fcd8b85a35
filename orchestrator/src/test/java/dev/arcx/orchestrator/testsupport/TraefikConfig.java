package dev.arcx.orchestrator.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * The repository's traefik/ configuration read as data (Traefik itself is not installed here), and the check that
 * routes written by the orchestrator only name what that configuration defines.
 */
public final class TraefikConfig {
    /** Tests run in the orchestrator module's directory. */
    public static final Path DIRECTORY = Path.of("..", "traefik");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private TraefikConfig() {
    }

    public static JsonNode staticConfig() {
        return read("traefik.yml");
    }

    public static JsonNode middlewares() {
        return read("dynamic/middlewares.yml").path("http").path("middlewares");
    }

    /**
     * Every router among {@code labels} uses a defined entry point, certificate resolver and file-provider middleware,
     * and the network label names {@code network}.
     */
    public static void assertRoutesResolve(Map<String, String> labels, String network) {
        JsonNode config = staticConfig();
        JsonNode middlewares = middlewares();
        assertEquals(network, labels.get("traefik.docker.network"));
        labels.forEach((key, value) -> {
            if (key.endsWith(".entrypoints")) {
                Arrays.stream(value.split(",")).forEach(entry -> assertTrue(config.path("entryPoints").has(entry),
                        key + " names entry point " + entry));
            } else if (key.endsWith(".tls.certresolver")) {
                assertTrue(config.path("certificatesResolvers").has(value), key + " names resolver " + value);
            } else if (key.endsWith(".middlewares")) {
                Arrays.stream(value.split(",")).forEach(middleware -> {
                    assertTrue(middleware.endsWith("@file"), key + ": " + middleware + " must come from the file provider");
                    String name = middleware.substring(0, middleware.length() - "@file".length());
                    assertTrue(middlewares.has(name), key + " names middleware " + name);
                });
            }
        });
    }

    private static JsonNode read(String file) {
        try {
            return YAML.readTree(DIRECTORY.resolve(file).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
