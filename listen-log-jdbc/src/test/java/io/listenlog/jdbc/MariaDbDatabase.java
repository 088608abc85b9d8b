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
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A fresh database on the MariaDB server of {@value #URL_VARIABLE}, dropped afterwards. */
final class MariaDbDatabase extends IsolatedDatabase {

    static final String URL_VARIABLE = "LISTENLOG_TEST_MARIADB_URL";
    /** Why the suites on this database are skipped. */
    static final String NOT_SET = URL_VARIABLE + " is not set: run .ci/run, or set it to a JDBC URL such as "
            + "jdbc:mariadb://127.0.0.1:3306/test?user=root, to run the suites on MariaDB";
    private static final Pattern URL = Pattern.compile("^(jdbc:(?:mariadb|mysql)://[^/?]+)(?:/[^?]*)?(\\?.*)?$");

    private final String adminUrl = System.getenv(URL_VARIABLE);
    private final String database = "listenlog_" + UUID.randomUUID().toString().replace("-", "");

    MariaDbDatabase() throws SQLException {
        execute("CREATE DATABASE " + database + " CHARACTER SET utf8mb4");
    }

    @Override
    HikariDataSource newPool() {
        Matcher url = URL.matcher(adminUrl);
        if (!url.matches()) {
            throw new IllegalArgumentException(URL_VARIABLE + " is not a jdbc:mariadb:// URL: " + adminUrl);
        }
        String query = url.group(2) == null ? "" : url.group(2);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(withParams(url.group(1) + "/" + database + query, "rewriteBatchedStatements=true"));
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(1);
        return new HikariDataSource(config);
    }

    @Override
    Instant readOccurredAt(ResultSet row, String column) throws SQLException {
        return row.getObject(column, LocalDateTime.class).toInstant(ZoneOffset.UTC);
    }

    @Override
    int killServerConnections() throws SQLException {
        try (Connection c = DriverManager.getConnection(adminUrl)) {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement find = c.prepareStatement(
                    "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()")) {
                find.setString(1, database);
                try (ResultSet rs = find.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
            try (Statement kill = c.createStatement()) {
                for (long id : ids) {
                    kill.execute("KILL CONNECTION " + id);
                }
            }
            return ids.size();
        }
    }

    @Override
    public void close() throws SQLException {
        execute("DROP DATABASE " + database);
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
