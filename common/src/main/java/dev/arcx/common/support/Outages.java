package dev.arcx.common.support;

import com.github.dockerjava.api.exception.DockerException;
import java.io.IOException;

/**
 * Tells a part of the platform that could not be reached (the Docker engine or PostgreSQL restarting, a socket gone)
 * from one that answered no. Work cut off by an outage is resumed once the part is back, instead of failing for good
 * over a moment's absence.
 */
public final class Outages {
    private Outages() {
    }

    /**
     * True when {@code failure} comes from a connection that could not be made or broke off (an {@link IOException}
     * in its causes), false when the other side answered, even with an error (the engine's HTTP errors are
     * {@link DockerException}s).
     */
    public static boolean unreachable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof DockerException) {
                return false;
            }
            if (cause instanceof IOException) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
