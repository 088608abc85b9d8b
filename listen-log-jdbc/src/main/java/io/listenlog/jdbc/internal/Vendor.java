package io.listenlog.jdbc.internal;

import io.listenlog.core.ListenRequest;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;

/** The databases listen-log supports, told apart by {@code DatabaseMetaData.getDatabaseProductName()}. */
public enum Vendor {

    SQLITE("SQLite", "classpath:db/listenlog/sqlite", null, "listen-log-sqlite") {
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
        public Instant readTimestamp(ResultSet row, int column) throws SQLException {
            String text = row.getString(column);
            return text == null ? null : Instant.parse(text);
        }

        @Override
        public void bindDay(PreparedStatement ps, int index, LocalDate day) throws SQLException {
            ps.setString(index, day.toString());
        }

        @Override
        public LocalDate readDay(ResultSet row, int column) throws SQLException {
            String day = row.getString(column);
            return day == null ? null : LocalDate.parse(day);
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
        public boolean insertSkipsStoredListenIds() {
            return true;
        }

        // The only levels SQLite knows; a WAL read transaction sees one snapshot.
        @Override
        public int snapshotIsolation() {
            return Connection.TRANSACTION_SERIALIZABLE;
        }
    },

    POSTGRESQL("PostgreSQL", "classpath:db/listenlog/postgresql",
            "org.flywaydb.database.postgresql.PostgreSQLDatabaseType", "listen-log-postgresql") {
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
        public Instant readTimestamp(ResultSet row, int column) throws SQLException {
            OffsetDateTime time = row.getObject(column, OffsetDateTime.class);
            return time == null ? null : time.toInstant();
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
    },

    /** MySQL and MariaDB share the migration and the SQL. */
    MYSQL("MariaDB/MySQL", "classpath:db/listenlog/mysql", "org.flywaydb.database.mysql.MySQLDatabaseType",
            "listen-log-mariadb") {
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
        public Instant readTimestamp(ResultSet row, int column) throws SQLException {
            LocalDateTime time = row.getObject(column, LocalDateTime.class);
            return time == null ? null : time.toInstant(ZoneOffset.UTC);
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
        public String onConflictDoNothing(String keyColumn) {
            return " ON DUPLICATE KEY UPDATE " + keyColumn + " = " + keyColumn;
        }

        @Override
        public String sharedLockingRead(String select) {
            return select + " LOCK IN SHARE MODE";
        }
    };

    /** For error messages. */
    public static final String SUPPORTED = "SQLite, PostgreSQL, MariaDB and MySQL";
    private static final Instant EARLIEST_DATETIME = Instant.parse("1000-01-01T00:00:00Z");

    private final String displayName;
    private final String migrationLocation;
    private final String flywaySupportClass;
    private final String artifact;

    Vendor(String displayName, String migrationLocation, String flywaySupportClass, String artifact) {
        this.displayName = displayName;
        this.migrationLocation = migrationLocation;
        this.flywaySupportClass = flywaySupportClass;
        this.artifact = artifact;
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

    /**
     * Checks that Flyway can migrate this database: its support for PostgreSQL and MariaDB/MySQL is a separate jar,
     * which the host gets with this vendor's listen-log artifact.
     *
     * @throws IllegalStateException naming the artifact to add, when it is missing
     */
    public void requireFlywaySupport(ClassLoader loader) {
        if (flywaySupportClass == null) {
            return;
        }
        try {
            Class.forName(flywaySupportClass, false, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("listen-log cannot migrate " + displayName + ": Flyway's support for it is "
                    + "not on the class path. Add the dependency io.listenlog:" + artifact + " (type pom), which brings "
                    + "it and the driver", e);
        }
    }

    /** The dependency-only listen-log artifact a host of this database adds. */
    public String artifact() {
        return artifact;
    }

    /** The Flyway location of this vendor's listen-log migrations. */
    public String migrationLocation() {
        return migrationLocation;
    }

    /**
     * The insert of one {@code listen_event} row; parameters: source_id, occurred_at (bound with
     * {@link #bindTimestamp}), ip, user_agent, referrer, duration_seconds, extra (JSON text), listen_id (bound with
     * {@link #bindListenId}), client_class, client_app, client_platform.
     */
    public String insertSql() {
        return "INSERT INTO listen_event (source_id, occurred_at, ip, user_agent, referrer, duration_seconds, extra,"
                + " listen_id, client_class, client_app, client_platform) VALUES (?, ?, ?, ?, ?, ?, "
                + extraPlaceholder() + ", ?, ?, ?, ?)";
    }

    /**
     * Whether {@link #insertSql()} itself skips a listen id that is stored already and reports, per statement of a
     * batch, whether it inserted the row; otherwise the store reads the stored ids first.
     */
    public boolean insertSkipsStoredListenIds() {
        return false;
    }

    /** Binds a listen id: a native {@code uuid} on PostgreSQL, its 16 bytes (big-endian) elsewhere. */
    public void bindListenId(PreparedStatement ps, int index, UUID listenId) throws SQLException {
        ps.setBytes(index, ByteBuffer.allocate(16).putLong(listenId.getMostSignificantBits())
                .putLong(listenId.getLeastSignificantBits()).array());
    }

    /** Reads a listen id bound with {@link #bindListenId}. */
    public UUID readListenId(ResultSet row, int column) throws SQLException {
        ByteBuffer bytes = ByteBuffer.wrap(row.getBytes(column));
        return new UUID(bytes.getLong(), bytes.getLong());
    }

    String extraPlaceholder() {
        return "?";
    }

    /** The earliest {@code occurred_at} this database stores faithfully (and, on SQLite, in fixed-width text). */
    public Instant earliestStorable() {
        return ListenRequest.MIN_OCCURRED_AT;
    }

    /** The latest {@code occurred_at} this database stores faithfully. */
    public Instant latestStorable() {
        return ListenRequest.MAX_OCCURRED_AT;
    }

    /** Binds {@code occurredAt}, cut to the microsecond as every supported database stores it. */
    public void bindTimestamp(PreparedStatement ps, int index, Instant occurredAt) throws SQLException {
        bindOccurredAt(ps, index, occurredAt.truncatedTo(ChronoUnit.MICROS));
    }

    /** Binds a UTC day for a {@code DATE} column (text {@code YYYY-MM-DD} on SQLite). */
    public void bindDay(PreparedStatement ps, int index, LocalDate day) throws SQLException {
        ps.setObject(index, day);
    }

    /** Reads a day bound with {@link #bindDay}; {@code null} for SQL NULL. */
    public LocalDate readDay(ResultSet row, int column) throws SQLException {
        return row.getObject(column, LocalDate.class);
    }

    /** The SQL expression of the UTC day of a timestamp column written with {@link #bindTimestamp}. */
    public abstract String utcDayOf(String timestampColumn);

    /** {@code select} locking the rows it reads until the transaction ends. */
    public String lockingRead(String select) {
        return select + " FOR UPDATE";
    }

    /** {@code select} keeping the rows it reads from being changed until the transaction ends; others may read them. */
    public String sharedLockingRead(String select) {
        return select + " FOR SHARE";
    }

    /** The isolation level at which every query of one transaction reads the same snapshot. */
    public int snapshotIsolation() {
        return Connection.TRANSACTION_REPEATABLE_READ;
    }

    /** {@code column} compared, grouped and ordered by its exact characters. */
    public String exactText(String column) {
        return column;
    }

    /**
     * Deletes at most a given number of rows of {@code table} ({@code listen_event} or a partition of it) whose listen
     * ended before a timestamp, or began a lookback before it; parameters: the timestamp, the timestamp minus the
     * lookback, the timestamp again (bound with {@link #bindTimestamp}) and the most rows to delete.
     */
    public String deleteEventsBeforeSql(String table) {
        return "DELETE FROM " + table + " WHERE id IN (SELECT id FROM " + table + " WHERE " + endedBefore()
                + " LIMIT ?)";
    }

    String endedBefore() {
        return "occurred_at < ? AND (occurred_at < ? OR " + listenEndedBy() + ")";
    }

    /** The condition that a listen (its start plus its duration, 0 when unknown) has ended by the bound timestamp. */
    abstract String listenEndedBy();

    /** The clause that makes an {@code INSERT} do nothing when a row with the same {@code keyColumn} exists. */
    public String onConflictDoNothing(String keyColumn) {
        return " ON CONFLICT (" + keyColumn + ") DO NOTHING";
    }

    abstract void bindOccurredAt(PreparedStatement ps, int index, Instant occurredAt) throws SQLException;

    /** Reads a timestamp written with {@link #bindTimestamp}; {@code null} for SQL NULL. */
    public abstract Instant readTimestamp(ResultSet row, int column) throws SQLException;

    @Override
    public String toString() {
        return displayName;
    }
}
