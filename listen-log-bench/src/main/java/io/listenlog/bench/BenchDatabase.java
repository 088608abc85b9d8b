package io.listenlog.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.listenlog.jdbc.ListenLogDataSources;
import io.listenlog.jdbc.ListenLogMigrations;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/** A fresh database with the host's {@code radio_source} table and listen-log's migration, dropped on close. */
final class BenchDatabase implements AutoCloseable {
    static final String POSTGRES_URL_VARIABLE = "LISTENLOG_TEST_POSTGRES_URL";
    static final int SOURCES = 10;

    private static final DateTimeFormatter SQLITE_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final HikariDataSource dataSource;
    private final boolean sqlite;
    private final Runnable cleanup;

    private BenchDatabase(HikariDataSource dataSource, boolean sqlite, Runnable cleanup) {
        this.dataSource = dataSource;
        this.sqlite = sqlite;
        this.cleanup = cleanup;
    }

    /**
     * The plain insert of one {@code listen_event} row the designs beside listen-log use; parameters: source_id,
     * occurred_at (bound with {@link #bindTime}), ip, user_agent, referrer, duration_seconds, extra, listen_id (bound
     * with {@link #bindListenId}).
     */
    String insertSql() {
        return "INSERT INTO listen_event (source_id, occurred_at, ip, user_agent, referrer, duration_seconds, extra,"
                + " listen_id) VALUES (?, ?, ?, ?, ?, ?, " + (sqlite ? "?" : "CAST(? AS JSONB)") + ", ?)";
    }

    /** {@link #insertSql()} with the client columns listen-log writes too (parameters 9 to 11). */
    String insertWithClientSql() {
        return "INSERT INTO listen_event (source_id, occurred_at, ip, user_agent, referrer, duration_seconds, extra,"
                + " listen_id, client_class, client_app, client_platform) VALUES (?, ?, ?, ?, ?, ?, "
                + (sqlite ? "?" : "CAST(? AS JSONB)") + ", ?, ?, ?, ?)";
    }

    /** Binds a listen id as the migration's column takes it: 16 bytes on SQLite, a uuid elsewhere. */
    void bindListenId(PreparedStatement ps, int index, UUID listenId) throws SQLException {
        if (sqlite) {
            ps.setBytes(index, ByteBuffer.allocate(16).putLong(listenId.getMostSignificantBits())
                    .putLong(listenId.getLeastSignificantBits()).array());
        } else {
            ps.setObject(index, listenId);
        }
    }

    /** Binds a time as the migration's column takes it: fixed-width ISO text on SQLite, a timestamptz elsewhere. */
    void bindTime(PreparedStatement ps, int index, Instant time) throws SQLException {
        if (sqlite) {
            ps.setString(index, SQLITE_TIME.format(time));
        } else {
            ps.setObject(index, OffsetDateTime.ofInstant(time, ZoneOffset.UTC));
        }
    }

    HikariDataSource dataSource() {
        return dataSource;
    }

    /** What fills a database for {@link #loadedOnce}. */
    interface Loader {
        BenchDatabase load() throws Exception;
    }

    private static final java.util.Map<String, BenchDatabase> LOADED = new java.util.HashMap<>();

    /**
     * The database loaded under {@code key} in this JVM, loaded by {@code loader} the first time and closed when the
     * JVM exits: for {@code @Fork(0)} benchmarks whose trials of one database and size share what took minutes to load.
     */
    static synchronized BenchDatabase loadedOnce(String key, Loader loader) throws Exception {
        BenchDatabase db = LOADED.get(key);
        if (db == null) {
            db = loader.load();
            LOADED.put(key, db);
            Runtime.getRuntime().addShutdownHook(new Thread(db::close));
        }
        return db;
    }

    /** A fresh database of the {@code -p database} parameter: sqlite (tuned), postgresql or mariadb. */
    static BenchDatabase named(String database, int poolSize) throws Exception {
        return switch (database) {
            case "sqlite" -> sqliteTuned();
            case "postgresql" -> postgres(poolSize);
            case "mariadb" -> mariadb(poolSize);
            default -> throw new IllegalArgumentException("database must be sqlite, postgresql or mariadb, not "
                    + database);
        };
    }

    /** SQLite through {@link ListenLogDataSources#sqlite}: WAL, synchronous=NORMAL, one connection. */
    static BenchDatabase sqliteTuned() throws Exception {
        Path dir = Files.createTempDirectory("listen-log-bench");
        return prepare(ListenLogDataSources.sqlite(dir.resolve("bench.db")), true, false, () -> deleteTree(dir));
    }

    /**
     * SQLite as the design sketch uses it: the driver's defaults (rollback journal, synchronous=FULL), one pooled
     * connection that the play threads take turns on.
     */
    static BenchDatabase sqliteAsWritten() throws Exception {
        Path dir = Files.createTempDirectory("listen-log-bench");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:sqlite:" + dir.resolve("sketch.db"));
        config.setMaximumPoolSize(1);
        return prepare(new HikariDataSource(config), true, false, () -> deleteTree(dir));
    }

    /** A fresh database on the MariaDB server of {@code LISTENLOG_TEST_MARIADB_URL}, dropped afterwards. */
    static BenchDatabase mariadb(int poolSize) throws Exception {
        String url = System.getenv("LISTENLOG_TEST_MARIADB_URL");
        if (url == null || url.isBlank()) {
            throw new IllegalStateException("LISTENLOG_TEST_MARIADB_URL is not set; the mariadb benchmarks need it,"
                    + " e.g. jdbc:mariadb://127.0.0.1:3306/test?user=root");
        }
        String database = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url.replaceFirst("/[^/?]*(\\?|$)", "/" + database + "$1")
                + (url.contains("?") ? "&" : "?") + "rewriteBatchedStatements=true");
        config.setMaximumPoolSize(poolSize);
        return prepare(new HikariDataSource(config), false, false, () -> {
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE " + database);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** A fresh schema in the PostgreSQL database named by {@value #POSTGRES_URL_VARIABLE}. */
    static BenchDatabase postgres(int poolSize) throws Exception {
        return postgres(poolSize, false);
    }

    /** As {@link #postgres(int)}, with {@code listen_event} partitioned by month when {@code partitioned}. */
    static BenchDatabase postgres(int poolSize, boolean partitioned) throws Exception {
        String url = System.getenv(POSTGRES_URL_VARIABLE);
        if (url == null || url.isBlank()) {
            throw new IllegalStateException(POSTGRES_URL_VARIABLE + " is not set; the postgresql benchmarks need "
                    + "it, e.g. jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        }
        String schema = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema
                + "&reWriteBatchedInserts=true");
        config.setMaximumPoolSize(poolSize);
        return prepare(new HikariDataSource(config), false, partitioned, () -> {
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static BenchDatabase prepare(HikariDataSource dataSource, boolean sqlite, boolean partitioned,
                                         Runnable cleanup)
            throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE radio_source (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL)");
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO radio_source (id, name) VALUES (?, ?)")) {
                for (int id = 1; id <= SOURCES; id++) {
                    insert.setLong(1, id);
                    insert.setString(2, "station " + id);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
        if (partitioned) {
            ListenLogMigrations.migratePartitioned(dataSource);
        } else {
            ListenLogMigrations.migrate(dataSource);
        }
        return new BenchDatabase(dataSource, sqlite, cleanup);
    }

    long countEvents() throws SQLException {
        return single("SELECT COUNT(*) FROM listen_event");
    }

    /** Listens whose listening time was never recorded. */
    long countUnreported() throws SQLException {
        return single("SELECT COUNT(*) FROM listen_event WHERE duration_seconds IS NULL");
    }

    long sumCounters() throws SQLException {
        return single("SELECT COALESCE(SUM(listen_count), 0) FROM radio_source");
    }

    private long single(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() {
        dataSource.close();
        cleanup.run();
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
