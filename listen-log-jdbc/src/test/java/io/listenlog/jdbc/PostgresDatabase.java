package io.listenlog.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A fresh schema in the PostgreSQL database of {@value #URL_VARIABLE}, dropped with everything in it. */
final class PostgresDatabase extends IsolatedDatabase {

    static final String URL_VARIABLE = "LISTENLOG_TEST_POSTGRES_URL";
    /** Why the suites on this database are skipped. */
    static final String NOT_SET = URL_VARIABLE + " is not set: run .ci/run, or set it to a JDBC URL such as "
            + "jdbc:postgresql://127.0.0.1:5432/test?user=postgres, to run the suites on PostgreSQL";

    private final String adminUrl = System.getenv(URL_VARIABLE);
    private final String schema = "listenlog_" + UUID.randomUUID().toString().replace("-", "");

    PostgresDatabase() throws SQLException {
        execute("CREATE SCHEMA " + schema);
    }

    @Override
    HikariDataSource newPool() {
        HikariConfig config = new HikariConfig();
        // The application name marks this test's connections, so killServerConnections finds them.
        config.setJdbcUrl(withParams(adminUrl, "currentSchema=" + schema, "reWriteBatchedInserts=true",
                "ApplicationName=" + schema));
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(1);
        return new HikariDataSource(config);
    }

    @Override
    Instant readOccurredAt(ResultSet row, String column) throws SQLException {
        return row.getObject(column, OffsetDateTime.class).toInstant();
    }

    @Override
    int killServerConnections() throws SQLException {
        try (Connection c = DriverManager.getConnection(adminUrl);
             PreparedStatement kill = c.prepareStatement(
                     "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = ?")) {
            kill.setString(1, schema);
            try (ResultSet rs = kill.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Override
    public void close() throws SQLException {
        execute("DROP SCHEMA " + schema + " CASCADE");
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
