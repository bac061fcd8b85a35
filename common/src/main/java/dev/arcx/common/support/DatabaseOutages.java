package dev.arcx.common.support;

import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;

/**
 * The database client's half of {@link Outages}, apart so that a service without the client (the image-builder)
 * never loads it.
 */
final class DatabaseOutages {
    private DatabaseOutages() {
    }

    /** Whether {@code cause} tells of a database out of reach; null when it is not the database client's. */
    static Boolean unreachable(Throwable cause) {
        if (cause instanceof ClosedConnectionException) {
            return true;
        }
        if (cause instanceof DatabaseException database) {
            String state = database.getSqlState();
            return state != null && (state.startsWith("08") || state.startsWith("57P"));
        }
        return null;
    }
}
