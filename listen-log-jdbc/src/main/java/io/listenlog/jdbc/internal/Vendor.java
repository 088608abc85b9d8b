package io.listenlog.jdbc.internal;

import io.listenlog.core.ListenRequest;
import org.jspecify.annotations.Nullable;

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
public abstract class Vendor {

    public static final Vendor SQLITE = new SqliteDialect();
    public static final Vendor POSTGRESQL = new PostgresDialect();
    /** PostgreSQL whose {@code listen_event} the {@code postgresql_partitioned} migrations made. */
    public static final Vendor POSTGRESQL_PARTITIONED = new PostgresPartitionedDialect();
    /** MySQL and MariaDB share the migration and the SQL. */
    public static final Vendor MYSQL = new MySqlDialect();

    /** For error messages. */
    public static final String SUPPORTED = "SQLite, PostgreSQL, MariaDB and MySQL";
    static final Instant EARLIEST_DATETIME = Instant.parse("1000-01-01T00:00:00Z");

    private final String displayName;
    private final String migrationLocation;
    private final @Nullable String flywaySupportClass;
    private final String artifact;

    Vendor(String displayName, String migrationLocation, @Nullable String flywaySupportClass, String artifact) {
        this.displayName = displayName;
        this.migrationLocation = migrationLocation;
        this.flywaySupportClass = flywaySupportClass;
        this.artifact = artifact;
    }

    /**
     * The vendor of the database behind {@code connection}, from its metadata (and, on PostgreSQL, whether its
     * {@code listen_event} is partitioned).
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
            return PostgresPartitions.isPartitioned(connection) ? POSTGRESQL_PARTITIONED : POSTGRESQL;
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
     * {@link #bindListenId}), client_class, client_app, client_platform, listener, country, region.
     */
    public String insertSql() {
        return "INSERT INTO listen_event (source_id, occurred_at, ip, user_agent, referrer, duration_seconds, extra,"
                + " listen_id, client_class, client_app, client_platform, listener, country, region) VALUES (?, ?, ?,"
                + " ?, ?, ?, " + extraPlaceholder() + ", ?, ?, ?, ?, ?, ?, ?)";
    }

    /** How a store writes the new listens of a batch through connections like {@code connection}. */
    public EventInserts inserts(Connection connection) {
        return EventInserts.readingStored(this, false);
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
    public @Nullable LocalDate readDayOrNull(ResultSet row, int column) throws SQLException {
        return row.getObject(column, LocalDate.class);
    }

    /** Reads a day of a {@code NOT NULL} column. */
    public final LocalDate readDay(ResultSet row, int column) throws SQLException {
        return notNull(readDayOrNull(row, column), column);
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

    /** The SQL expression of the text value under {@code key} of the JSON column {@code column}, or NULL. */
    public abstract String jsonText(String column, String key);

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

    /** Whether the vendor's error {@code code} says a constraint was violated, beyond what the SQLState says. */
    boolean isConstraintCode(int code) {
        return false;
    }

    /** Whether the vendor's error {@code code} says the same statement may succeed later (busy, locked, deadlock). */
    boolean isTransientCode(int code) {
        return false;
    }

    /** Whether {@code listen_event} is partitioned by month ({@link PostgresPartitions}). */
    public boolean partitionedByMonth() {
        return false;
    }

    /** The condition that a listen (its start plus its duration, 0 when unknown) has ended by the bound timestamp. */
    abstract String listenEndedBy();

    /** The clause that makes an {@code INSERT} do nothing when a row with the same {@code keyColumn} exists. */
    public String onConflictDoNothing(String keyColumn) {
        return " ON CONFLICT (" + keyColumn + ") DO NOTHING";
    }

    /** The clause that makes an {@code INSERT} into {@code table} add 1 to {@code column} of an existing row instead. */
    public String onConflictIncrement(String table, String keyColumns, String column) {
        return " ON CONFLICT (" + keyColumns + ") DO UPDATE SET " + column + " = " + table + "." + column + " + 1";
    }

    abstract void bindOccurredAt(PreparedStatement ps, int index, Instant occurredAt) throws SQLException;

    /** Reads a timestamp written with {@link #bindTimestamp}; {@code null} for SQL NULL. */
    abstract @Nullable Instant readTimestampOrNull(ResultSet row, int column) throws SQLException;

    /** Reads a timestamp of a {@code NOT NULL} column. */
    public final Instant readTimestamp(ResultSet row, int column) throws SQLException {
        return notNull(readTimestampOrNull(row, column), column);
    }

    private static <T> T notNull(@Nullable T value, int column) throws SQLException {
        if (value == null) {
            throw new SQLException("listen-log read NULL from result column " + column + ", which its schema declares"
                    + " NOT NULL: check the listen-log migrations ran unchanged");
        }
        return value;
    }

    @Override
    public String toString() {
        return displayName;
    }
}
