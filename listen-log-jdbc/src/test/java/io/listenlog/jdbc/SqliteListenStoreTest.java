package io.listenlog.jdbc;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("JdbcListenStore on SQLite (temporary file)")
class SqliteListenStoreTest extends JdbcListenStoreContract {

    @Override
    IsolatedDatabase createDatabase() throws Exception {
        return new SqliteDatabase();
    }

    @Test
    void sqlitePoolIsTunedForOneWriter() throws SQLException {
        assertThat(dataSource().getMaximumPoolSize()).isEqualTo(1);
        try (Connection c = dataSource().getConnection()) {
            assertThat(pragma(c, "journal_mode")).isEqualTo("wal");
            assertThat(pragma(c, "foreign_keys")).isEqualTo("1");
            assertThat(pragma(c, "synchronous")).isEqualTo("1");  // NORMAL
            assertThat(pragma(c, "busy_timeout")).isEqualTo("5000");
        }
    }

    private static String pragma(Connection c, String name) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }
}
