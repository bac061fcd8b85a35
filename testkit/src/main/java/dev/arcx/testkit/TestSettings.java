package dev.arcx.testkit;

import java.nio.file.Path;

/**
 * Every setting the tests read from their environment, with the local default each falls back to. The launcher
 * ({@code ./arcx test}) and CI set them so that test runs sharing a machine keep their databases, NATS names and
 * engine objects apart; nothing in a test reads these variables but through here.
 */
public final class TestSettings {
    private TestSettings() {
    }

    /** The installation name of the services under test ({@code ARCX_TEST_INSTALLATION}): their NATS names. */
    public static String installation() {
        return env("ARCX_TEST_INSTALLATION", "arcx-test");
    }

    /** The orchestrator's test database ({@code ARCX_TEST_DB_NAME}). */
    public static String database() {
        return env("ARCX_TEST_DB_NAME", "arcx_test");
    }

    /** PostgreSQL's host ({@code ARCX_DB_HOST}). */
    public static String dbHost() {
        return env("ARCX_DB_HOST", "127.0.0.1");
    }

    /** PostgreSQL's port ({@code ARCX_DB_PORT}). */
    public static String dbPort() {
        return env("ARCX_DB_PORT", "5432");
    }

    /** The role the services and the tests use ({@code ARCX_DB_USER}). */
    public static String dbUser() {
        return env("ARCX_DB_USER", "arcx");
    }

    /** Its password ({@code ARCX_DB_PASSWORD}). */
    public static String dbPassword() {
        return env("ARCX_DB_PASSWORD", "arcx");
    }

    /** A JDBC address of {@code database} on the tests' PostgreSQL. */
    public static String jdbcUrl(String database) {
        return "jdbc:postgresql://" + dbHost() + ":" + dbPort() + "/" + database;
    }

    /** The NATS server with JetStream ({@code ARCX_NATS_URL}). */
    public static String natsUrl() {
        return env("ARCX_NATS_URL", "nats://127.0.0.1:4222");
    }

    /** The Docker engine ({@code DOCKER_HOST}). */
    public static String dockerHost() {
        return env("DOCKER_HOST", "unix:///var/run/docker.sock");
    }

    /**
     * The checkout's root directory: the build passes it as the system property {@code test.repository.root}; without
     * it, the parent of the module directory the tests run in.
     */
    public static Path repositoryRoot() {
        return Path.of(System.getProperty("test.repository.root", "..")).toAbsolutePath().normalize();
    }

    /**
     * Stops a test run that carries a real installation's name ({@code ARCX_INSTALLATION} outranks a service's test
     * profile): the services under test would reconcile, and remove, that installation's containers.
     */
    public static void refuseRealInstallation() {
        if (System.getenv("ARCX_INSTALLATION") != null) {
            throw new IllegalStateException("unset ARCX_INSTALLATION before running tests (./arcx test does); "
                    + "use ARCX_TEST_INSTALLATION to name the tests' installation");
        }
    }

    private static String env(String name, String fallback) {
        return System.getenv().getOrDefault(name, fallback);
    }
}
