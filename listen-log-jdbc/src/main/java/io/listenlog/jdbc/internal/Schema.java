package io.listenlog.jdbc.internal;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Startup checks that the listen-log migrations ran, with a message that says how to run them. */
public final class Schema {

    private Schema() {
    }

    /**
     * Opens one connection to detect the database and to check that {@code table.column} exists, so that a
     * misconfiguration fails at startup.
     *
     * @return the detected database
     * @throws IllegalArgumentException if the database is not one listen-log supports
     * @throws IllegalStateException    if no connection could be opened, or the column is missing (naming
     *                                  {@code migration} and how to run it)
     */
    public static Vendor detectAndRequire(DataSource dataSource, String table, String column, String migration) {
        try (Connection connection = dataSource.getConnection()) {
            Vendor vendor = Vendor.of(connection);
            require(connection, vendor, "listen_event", "id", "V7_0");  // none ran: name the table every host knows
            require(connection, vendor, table, column, migration);
            return vendor;
        } catch (SQLException e) {
            throw new IllegalStateException("listen-log could not connect to the database: " + e.getMessage(), e);
        }
    }

    private static void require(Connection connection, Vendor vendor, String table, String column, String migration) {
        try (PreparedStatement probe = connection.prepareStatement(
                "SELECT " + column + " FROM " + table + " WHERE 1 = 0")) {
            probe.executeQuery().close();
        } catch (SQLException e) {
            throw new IllegalStateException("listen-log needs the table " + table + " of its migration " + migration
                    + ", which this database does not have: call ListenLogMigrations.migrate(dataSource) at startup, "
                    + "or add " + vendor.migrationLocation() + " to your own Flyway locations (" + e.getMessage()
                    + ")", e);
        }
    }
}
