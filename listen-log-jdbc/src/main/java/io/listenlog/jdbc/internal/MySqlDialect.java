package io.listenlog.jdbc.internal;

import org.jspecify.annotations.Nullable;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Set;

/** MariaDB and MySQL: DATETIME(6) in UTC, ON DUPLICATE KEY, binary collation for grouping. */
final class MySqlDialect extends Vendor {
    private static final Set<Integer> TRANSIENT_CODES = Set.of(
            1205,  // lock wait timeout
            1213,  // deadlock
            1040,  // too many connections
            2006,  // server has gone away
            2013); // lost connection during query

    MySqlDialect() {
        super("MariaDB/MySQL", "classpath:db/listenlog/mysql", "org.flywaydb.database.mysql.MySQLDatabaseType",
                "listen-log-mariadb");
    }

    // DATETIME(6) has no zone: the value written is the UTC wall-clock time, whatever the session time zone.
    @Override
    void bindOccurredAt(PreparedStatement ps, int index, Instant occurredAt) throws SQLException {
        ps.setObject(index, LocalDateTime.ofInstant(occurredAt, ZoneOffset.UTC));
    }

    @Override
    String listenEndedBy() {
        return "occurred_at + INTERVAL COALESCE(duration_seconds, 0) SECOND <= ?";
    }

    @Override
    @Nullable Instant readTimestampOrNull(ResultSet row, int column) throws SQLException {
        LocalDateTime time = row.getObject(column, LocalDateTime.class);
        return time == null ? null : time.toInstant(ZoneOffset.UTC);
    }

    @Override
    public String jsonText(String column, String key) {
        return "JSON_UNQUOTE(JSON_EXTRACT(" + column + ", '$." + key + "'))";
    }

    @Override
    public String utcDayOf(String timestampColumn) {
        return "CAST(" + timestampColumn + " AS DATE)";
    }

    // The default collation is case-, accent- and trailing-space-insensitive; grouping must not merge values.
    @Override
    public String exactText(String column) {
        return column + " COLLATE utf8mb4_bin";
    }

    // DATETIME begins at 1000-01-01; earlier values are refused, or stored as a zero date in a non-strict mode.
    @Override
    public Instant earliestStorable() {
        return EARLIEST_DATETIME;
    }

    // MySQL and MariaDB refuse LIMIT in an IN subquery, but take it on a single-table DELETE.
    @Override
    public String deleteEventsBeforeSql(String table) {
        return "DELETE FROM " + table + " WHERE " + endedBefore() + " ORDER BY occurred_at LIMIT ?";
    }

    @Override
    public String onConflictIncrement(String table, String keyColumns, String column) {
        return " ON DUPLICATE KEY UPDATE " + column + " = " + column + " + 1";
    }

    @Override
    public String onConflictDoNothing(String keyColumn) {
        return " ON DUPLICATE KEY UPDATE " + keyColumn + " = " + keyColumn;
    }

    @Override
    public String sharedLockingRead(String select) {
        return select + " LOCK IN SHARE MODE";
    }

    @Override
    boolean isTransientCode(int code) {
        return TRANSIENT_CODES.contains(code);
    }
}
