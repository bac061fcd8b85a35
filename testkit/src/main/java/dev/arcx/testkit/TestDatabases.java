package dev.arcx.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Plain JDBC into a test database on the tests' PostgreSQL ({@link TestSettings}), for what a test sets up or checks
 * beside the service (the PostgreSQL driver comes with the module under test).
 */
public final class TestDatabases {
    private TestDatabases() {
    }

    /** A new connection to {@code database} as the services' role; the caller closes it. */
    public static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(TestSettings.jdbcUrl(database), TestSettings.dbUser(),
                TestSettings.dbPassword());
    }
}
