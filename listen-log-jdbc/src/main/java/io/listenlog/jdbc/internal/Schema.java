package io.listenlog.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Startup checks that the listen-log migrations ran, with a message that says how to run them. */
public final class Schema {

    private Schema() {
    }

    /**
     * @throws IllegalStateException if {@code table} has no column {@code column}, naming {@code migration}
     */
    public static void require(Connection connection, Vendor vendor, String table, String column, String migration) {
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
