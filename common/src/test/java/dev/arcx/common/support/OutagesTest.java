package dev.arcx.common.support;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;
import java.net.ConnectException;
import java.net.SocketException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class OutagesTest {

    @Test
    void aConnectionThatCannotBeMadeOrBrokeOffIsAnOutage() {
        assertTrue(Outages.unreachable(new RuntimeException(new SocketException("No such file or directory"))));
        assertTrue(Outages.unreachable(new CompletionException(new ConnectException("Connection refused"))));
        assertTrue(Outages.unreachable(new IllegalStateException("layer failed", ClosedConnectionException.INSTANCE)));
    }

    @Test
    void aDatabaseShuttingDownIsAnOutageButARefusedQueryIsNot() {
        assertTrue(Outages.unreachable(new CompletionException(database("57P03"))));
        assertTrue(Outages.unreachable(database("08006")));
        assertFalse(Outages.unreachable(database("22021")));
        assertFalse(Outages.unreachable(database("23505")));
    }

    @Test
    void aFailureWithoutAConnectionCauseIsNoOutage() {
        assertFalse(Outages.unreachable(new IllegalArgumentException("bad name")));
        assertFalse(Outages.unreachable(null));
    }

    private static DatabaseException database(String sqlState) {
        return new DatabaseException("refused", 0, sqlState, null) {
        };
    }
}
