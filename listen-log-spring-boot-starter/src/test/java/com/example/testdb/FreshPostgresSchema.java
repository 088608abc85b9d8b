package com.example.testdb;

import org.junit.jupiter.api.Assumptions;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh schema in the PostgreSQL database of {@code LISTENLOG_TEST_POSTGRES_URL} for one test, dropped by
 * {@link #close()}; the test is skipped, with the reason printed, when the variable is unset.
 */
public final class FreshPostgresSchema implements AutoCloseable {
    private static final String URL = System.getenv("LISTENLOG_TEST_POSTGRES_URL");

    private final String name = "listenlog_boot_" + UUID.randomUUID().toString().replace("-", "");

    /** @param test the test's name, for the message when it is skipped */
    public FreshPostgresSchema(String test) throws SQLException {
        if (URL == null) {
            System.out.println(test + " on PostgreSQL skipped: LISTENLOG_TEST_POSTGRES_URL is not set");
            Assumptions.abort("LISTENLOG_TEST_POSTGRES_URL is not set");
        }
        execute("CREATE SCHEMA " + name);
    }

    /** The JDBC URL of the schema, for {@code spring.datasource.url}. */
    public String url() {
        return URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + name;
    }

    @Override
    public void close() throws SQLException {
        execute("DROP SCHEMA " + name + " CASCADE");
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(URL); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
