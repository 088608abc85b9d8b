package io.listenlog.jdbc.internal;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** The databases listen-log supports, told apart by {@code DatabaseMetaData.getDatabaseProductName()}. */
public enum Vendor {

    SQLITE("SQLite", "classpath:db/listenlog/sqlite") {
        // Fixed width with microseconds, so that text order is time order (the occurred_at index relies on it).
        private static final DateTimeFormatter ISO_MICROS =
                DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

        @Override
        void bindOccurredAt(PreparedStatement ps, int index, Instant occurredAt) throws SQLException {
            ps.setString(index, ISO_MICROS.format(occurredAt));
        }
    },

    POSTGRESQL("PostgreSQL", "classpath:db/listenlog/postgresql") {
        @Override
        String extraPlaceholder() {
            return "CAST(? AS JSONB)";
        }

        @Override
        void bindOccurredAt(PreparedStatement ps, int index, Instant occurredAt) throws SQLException {
            ps.setObject(index, OffsetDateTime.ofInstant(occurredAt, ZoneOffset.UTC));
        }
    },

    /** MySQL and MariaDB share the migration and the SQL. */
    MYSQL("MariaDB/MySQL", "classpath:db/listenlog/mysql") {
        // DATETIME(6) has no zone: the value written is the UTC wall-clock time, whatever the session time zone.
        @Override
        void bindOccurredAt(PreparedStatement ps, int index, Instant occurredAt) throws SQLException {
            ps.setObject(index, LocalDateTime.ofInstant(occurredAt, ZoneOffset.UTC));
        }
    };

    /** For error messages. */
    public static final String SUPPORTED = "SQLite, PostgreSQL, MariaDB and MySQL";

    private final String displayName;
    private final String migrationLocation;

    Vendor(String displayName, String migrationLocation) {
        this.displayName = displayName;
        this.migrationLocation = migrationLocation;
    }

    /**
     * The vendor of the database behind {@code connection}.
     *
     * @throws IllegalArgumentException if it is not one listen-log supports
     */
    public static Vendor of(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName();
        String name = product == null ? "" : product.toLowerCase(Locale.ROOT);
        if (name.contains("sqlite")) {
            return SQLITE;
        }
        if (name.contains("postgresql")) {
            return POSTGRESQL;
        }
        if (name.contains("mariadb") || name.contains("mysql")) {
            return MYSQL;
        }
        throw new IllegalArgumentException("listen-log supports " + SUPPORTED + ", but the DataSource connects to '"
                + product + "'");
    }

    /**
     * Opens one connection of {@code dataSource} to read its vendor.
     *
     * @throws IllegalArgumentException if the database is not supported
     * @throws IllegalStateException    if no connection could be opened
     */
    public static Vendor of(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return of(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("listen-log could not connect to the database to detect its vendor: "
                    + e.getMessage(), e);
        }
    }

    /** The Flyway location of this vendor's listen-log migrations. */
    public String migrationLocation() {
        return migrationLocation;
    }

    /**
     * The insert of one {@code listen_event} row; parameters: source_id, occurred_at (bound with
     * {@link #bindTimestamp}), ip, user_agent, referrer, duration_seconds, extra (JSON text).
     */
    public String insertSql() {
        return "INSERT INTO listen_event (source_id, occurred_at, ip, user_agent, referrer, duration_seconds, extra)"
                + " VALUES (?, ?, ?, ?, ?, ?, " + extraPlaceholder() + ")";
    }

    String extraPlaceholder() {
        return "?";
    }

    /** Binds {@code occurredAt}, cut to the microsecond as every supported database stores it. */
    public void bindTimestamp(PreparedStatement ps, int index, Instant occurredAt) throws SQLException {
        bindOccurredAt(ps, index, occurredAt.truncatedTo(ChronoUnit.MICROS));
    }

    abstract void bindOccurredAt(PreparedStatement ps, int index, Instant occurredAt) throws SQLException;

    @Override
    public String toString() {
        return displayName;
    }
}
