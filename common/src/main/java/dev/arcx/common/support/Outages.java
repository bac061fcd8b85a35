package dev.arcx.common.support;

import com.github.dockerjava.api.exception.DockerException;
import java.io.IOException;

/**
 * Tells a part of the platform that could not be reached (the Docker engine or PostgreSQL restarting, a socket gone)
 * from one that answered no. Work cut off by an outage is resumed once the part is back, and a request cut off by one
 * answers 503 (try again), instead of failing for good over a moment's absence.
 */
public final class Outages {
    /** Whether this service has a database client (the image-builder has none, and none of its errors). */
    private static final boolean DATABASE_CLIENT = present("io.vertx.sqlclient.DatabaseException");

    private Outages() {
    }

    /**
     * True when {@code failure} comes from a connection that could not be made or broke off (an {@link IOException}
     * in its causes, the database client's lost connection) or from a database that is shutting down or starting
     * (SQLSTATE classes 08 and 57P); false when the other side answered, even with an error (the engine's HTTP errors
     * are {@link DockerException}s, a refused query another SQLSTATE).
     */
    public static boolean unreachable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof DockerException) {
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
}
