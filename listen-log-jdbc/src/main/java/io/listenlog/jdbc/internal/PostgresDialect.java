package io.listenlog.jdbc.internal;

import org.jspecify.annotations.Nullable;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/** PostgreSQL: TIMESTAMPTZ and UUID columns, JSONB, COPY for batches. */
class PostgresDialect extends Vendor {

    PostgresDialect() {
        this("PostgreSQL", "classpath:db/listenlog/postgresql");
    }

    PostgresDialect(String displayName, String migrationLocation) {
        super(displayName, migrationLocation, "org.flywaydb.database.postgresql.PostgreSQLDatabaseType",
                "listen-log-postgresql");
    }

    @Override
    String extraPlaceholder() {
        return "CAST(? AS JSONB)";
    }

    @Override
    void bindOccurredAt(PreparedStatement ps, int index, Instant occurredAt) throws SQLException {
        ps.setObject(index, OffsetDateTime.ofInstant(occurredAt, ZoneOffset.UTC));
    }

    @Override
    String listenEndedBy() {
        return "occurred_at + make_interval(secs => COALESCE(duration_seconds, 0)) <= ?";
    }

    @Override
    @Nullable Instant readTimestampOrNull(ResultSet row, int column) throws SQLException {
        OffsetDateTime time = row.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }

    @Override
    public String jsonText(String column, String key) {
        return "(" + column + " ->> '" + key + "')";
    }

    @Override
    public String utcDayOf(String timestampColumn) {
        return "CAST(" + timestampColumn + " AT TIME ZONE 'UTC' AS DATE)";
    }

    @Override
    public void bindListenId(PreparedStatement ps, int index, UUID listenId) throws SQLException {
        ps.setObject(index, listenId);
    }

    @Override
    public UUID readListenId(ResultSet row, int column) throws SQLException {
        return row.getObject(column, UUID.class);
    }

    @Override
    public EventInserts inserts(Connection connection) {
        return PostgresCopy.supports(connection) ? EventInserts.copyFirst(this)
                : EventInserts.readingStored(this, false);
    }
}
