package io.listenlog.jdbc.internal;

import org.jspecify.annotations.Nullable;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** SQLite: text timestamps, IMMEDIATE transactions, its extended result codes. */
final class SqliteDialect extends Vendor {
    // Primary result codes in the low byte of the extended ones the driver reports.
    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;
    private static final int SQLITE_CONSTRAINT = 19;

    SqliteDialect() {
        super("SQLite", "classpath:db/listenlog/sqlite", null, "listen-log-sqlite");
    }

    // Fixed width with microseconds, so that text order is time order (the occurred_at index relies on it).
    private static final DateTimeFormatter ISO_MICROS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    @Override
    void bindOccurredAt(PreparedStatement ps, int index, Instant occurredAt) throws SQLException {
        ps.setString(index, ISO_MICROS.format(occurredAt));
    }

    @Override
    String listenEndedBy() {
        return "julianday(occurred_at) + COALESCE(duration_seconds, 0) / 86400.0 <= julianday(?)";
    }

    @Override
    @Nullable Instant readTimestampOrNull(ResultSet row, int column) throws SQLException {
        String text = row.getString(column);
        return text == null ? null : Instant.parse(text);
    }

    @Override
    public void bindDay(PreparedStatement ps, int index, LocalDate day) throws SQLException {
        ps.setString(index, day.toString());
    }

    @Override
    public @Nullable LocalDate readDayOrNull(ResultSet row, int column) throws SQLException {
        String day = row.getString(column);
        return day == null ? null : LocalDate.parse(day);
    }

    @Override
    public String jsonText(String column, String key) {
        return "json_extract(" + column + ", '$." + key + "')";
    }

    @Override
    public String utcDayOf(String timestampColumn) {
        return "substr(" + timestampColumn + ", 1, 10)";
    }

    // The IMMEDIATE transaction of ListenLogDataSources.sqlite already holds the database's write lock.
    @Override
    public String lockingRead(String select) {
        return select;
    }

    @Override
    public String sharedLockingRead(String select) {
        return select;
    }

    // Its driver reports each statement's changes in a batch, so a conflict-ignoring insert tells which rows it
    // inserted without reading the ids first.
    @Override
    public String insertSql() {
        return super.insertSql() + " ON CONFLICT (listen_id) DO NOTHING";
    }

    @Override
    public EventInserts inserts(Connection connection) {
        return EventInserts.conflictIgnoring(this);
    }

    // The only levels SQLite knows; a WAL read transaction sees one snapshot.
    @Override
    public int snapshotIsolation() {
        return Connection.TRANSACTION_SERIALIZABLE;
    }

    @Override
    boolean isConstraintCode(int code) {
        return (code & 0xFF) == SQLITE_CONSTRAINT;
    }

    @Override
    boolean isTransientCode(int code) {
        return (code & 0xFF) == SQLITE_BUSY || (code & 0xFF) == SQLITE_LOCKED;
    }
}
