package dev.arcx.common.support;

import java.io.IOException;

/**
 * Tells a part of the platform that could not be reached (the Docker engine or PostgreSQL restarting, a socket gone)
 * from one that answered no. Work cut off by an outage is resumed once the part is back, and a request cut off by one
 * answers 503 (try again), instead of failing for good over a moment's absence.
 */
public final class Outages {
    /** Whether this service has a database client (the image-builder has none, and none of its errors). */
    private static final boolean DATABASE_CLIENT = present("io.vertx.sqlclient.DatabaseException");
    private static final String ENGINE_ANSWER = "com.github.dockerjava.api.exception.DockerException";

    private Outages() {
    }

    /**
     * True when {@code failure} comes from a connection that could not be made or broke off (an {@link IOException}
     * in its causes, the database client's lost connection) or from a database that is shutting down or starting
     * (SQLSTATE classes 08 and 57P); false when the other side answered, even with an error (the engine's HTTP errors
     * are docker-java's {@code DockerException}s, a refused query another SQLSTATE).
     */
    public static boolean unreachable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (isEngineAnswer(cause)) {
                return false;
            }
            if (cause instanceof IOException) {
                return true;
            }
            if (DATABASE_CLIENT) {
                Boolean database = DatabaseOutages.unreachable(cause);
                if (database != null) {
                    return database;
                }
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, Outages.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /**
     * A docker-java {@code DockerException} (or a subclass), known by its class name: arcx-common does not carry
     * docker-java (services that never talk to the engine do without it), and where it is absent no such answer
     * can occur.
     */
    private static boolean isEngineAnswer(Throwable failure) {
        for (Class<?> type = failure.getClass(); type != null; type = type.getSuperclass()) {
            if (type.getName().equals(ENGINE_ANSWER)) {
                return true;
            }
        }
        return false;
    }
}
