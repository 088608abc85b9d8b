package io.listenlog.spring.boot;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** A fresh schema in the PostgreSQL database of {@value #URL_VARIABLE}, for one test class. */
final class PostgresSchema {
    static final String URL_VARIABLE = "LISTENLOG_TEST_POSTGRES_URL";
    static final String NOT_SET = URL_VARIABLE + " is not set: run .ci/run, or set it to a JDBC URL such as "
            + "jdbc:postgresql://127.0.0.1:5432/test?user=postgres, to run the starter on PostgreSQL";

    private final String adminUrl = System.getenv(URL_VARIABLE);
    final String name = "listenlog_boot_" + UUID.randomUUID().toString().replace("-", "");

    PostgresSchema() {
        execute("CREATE SCHEMA " + name);
    }

    String url() {
        return adminUrl + (adminUrl.contains("?") ? "&" : "?") + "currentSchema=" + name;
    }

    void drop() {
        execute("DROP SCHEMA " + name + " CASCADE");
    }

    private void execute(String sql) {
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
