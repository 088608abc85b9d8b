package io.listenlog.jdbc;

import io.listenlog.jdbc.internal.Vendor;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;

/**
 * The listen-log schema, {@code V7_0__add_listen_logging.sql}: a {@code BIGINT listen_count} column on the host's
 * {@code radio_source} table, and the {@code listen_event} table with a foreign key to {@code radio_source(id)}. The
 * host creates {@code radio_source} itself, before this migration runs.
 *
 * <p>Two ways to apply it:
 * <ul>
 *   <li>in the host's own Flyway, by adding {@link #location(DataSource)} (or one of the location constants) to its
 *   locations, so that V7_0 runs after the host's V1..V6 in the host's history table;</li>
 *   <li>with {@link #migrate(DataSource)}, which runs Flyway with the library's own history table
 *   {@value #HISTORY_TABLE}, next to the host's tables and history.</li>
 * </ul>
 * Use one or the other on a database, not both.
 */
public final class ListenLogMigrations {

    /** Flyway location of the SQLite migrations. */
    public static final String SQLITE_LOCATION = "classpath:db/listenlog/sqlite";
    /** Flyway location of the PostgreSQL migrations. */
    public static final String POSTGRESQL_LOCATION = "classpath:db/listenlog/postgresql";
    /**
     * Flyway location of the opt-in PostgreSQL migrations that partition {@code listen_event} by UTC month of
     * {@code occurred_at}, for raw events kept long: {@link ListenRetention} then creates partitions ahead of time
     * and drops a whole month instead of deleting its rows. For a new installation only; docs/scaling.md says how to
     * move an existing one.
     */
    public static final String POSTGRESQL_PARTITIONED_LOCATION = "classpath:db/listenlog/postgresql_partitioned";
    /** Flyway location of the MySQL and MariaDB migrations. */
    public static final String MYSQL_LOCATION = "classpath:db/listenlog/mysql";
    /** The history table {@link #migrate(DataSource)} keeps, apart from the host's {@code flyway_schema_history}. */
    public static final String HISTORY_TABLE = "listenlog_schema_history";

    /**
     * The version {@link #migrate(DataSource)} records as baseline on a schema that already has the host's tables:
     * below the library's first migration, 7.0, so that one still runs.
     */
    private static final String BASELINE_VERSION = "0";

    private ListenLogMigrations() {
    }

    /**
     * The Flyway location of the migrations for the database behind {@code dataSource}, detected from its metadata.
     *
     * @throws IllegalArgumentException if the database is not SQLite, PostgreSQL, MariaDB or MySQL
     * @throws IllegalStateException    if no connection could be opened
     */
    public static String location(DataSource dataSource) {
        return Vendor.of(Objects.requireNonNull(dataSource, "dataSource")).migrationLocation();
    }

    /**
     * Brings the listen-log schema up to date with Flyway under the history table {@value #HISTORY_TABLE}. On a
     * schema that has the host's tables but no listen-log history yet, it records a baseline below 7.0 first, so the
     * host's own Flyway history is never read or written. Running it again does nothing.
     *
     * @throws IllegalArgumentException if the database is not SQLite, PostgreSQL, MariaDB or MySQL
     * @throws IllegalStateException    if no connection could be opened, the host has not created
     *                                  {@code radio_source} yet, or Flyway's support for the database is missing (the
     *                                  message names the artifact to add)
     */
    public static void migrate(DataSource dataSource) {
        migrate(dataSource, false);
    }

    /**
     * As {@link #migrate(DataSource)}, with the migrations of {@link #POSTGRESQL_PARTITIONED_LOCATION}: a new
     * installation whose {@code listen_event} is partitioned by month.
     *
     * @throws IllegalArgumentException if the database is not PostgreSQL
     * @throws IllegalStateException    as {@link #migrate(DataSource)}, and when the schema was migrated before
     *                                  without partitions (Flyway's validation names the differing migrations)
     */
    public static void migratePartitioned(DataSource dataSource) {
        migrate(dataSource, true);
    }

    private static void migrate(DataSource dataSource, boolean partitioned) {
        Objects.requireNonNull(dataSource, "dataSource");
        Vendor vendor;
        try (Connection connection = dataSource.getConnection()) {
            vendor = Vendor.of(connection);
            requireRadioSourceTable(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("listen-log could not connect to the database to migrate it: "
                    + e.getMessage(), e);
        }
        if (partitioned && vendor != Vendor.POSTGRESQL && vendor != Vendor.POSTGRESQL_PARTITIONED) {
            throw new IllegalArgumentException("partitioned listen_event is for PostgreSQL; on " + vendor
                    + " use ListenLogMigrations.migrate(dataSource)");
        }
        vendor.requireFlywaySupport(ListenLogMigrations.class.getClassLoader());
        Flyway.configure(ListenLogMigrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations(partitioned ? POSTGRESQL_PARTITIONED_LOCATION : vendor.migrationLocation())
                .table(HISTORY_TABLE)
                .baselineOnMigrate(true)
                .baselineVersion(BASELINE_VERSION)
                .baselineDescription("listen-log baseline over the existing host schema")
                .load()
                .migrate();
    }

    private static void requireRadioSourceTable(Connection connection) {
        try (Statement statement = connection.createStatement()) {
            statement.executeQuery("SELECT id FROM radio_source WHERE 1 = 0").close();
        } catch (SQLException e) {
            throw new IllegalStateException("listen-log's migration extends the host's table radio_source(id), which "
                    + "this database does not have: the host must create radio_source first, then migrate listen-log ("
                    + e.getMessage() + ")", e);
        }
    }
}
