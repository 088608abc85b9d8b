package io.listenlog.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.listenlog.jdbc.internal.Vendor;
import org.sqlite.SQLiteConfig;

import java.nio.file.Path;
import java.util.Objects;

/** Ready-made connection pools for the embedded case. */
public final class ListenLogDataSources {

    /** How long a connection waits for SQLite's write lock before the write fails as transient. */
    private static final int BUSY_TIMEOUT_MILLIS = 5_000;

    private ListenLogDataSources() {
    }

    /**
     * A HikariCP pool over the SQLite database file {@code file} (created if missing), tuned for listen-log's single
     * writer: WAL journal (readers never block the writer), {@code synchronous=NORMAL} (with WAL, commits survive an
     * application crash; a power loss can at most roll back the last ones, never corrupt the file),
     * {@code foreign_keys=ON}, {@code busy_timeout} of 5 s, transactions that take the write lock when they begin
     * ({@code IMMEDIATE}), and one connection: SQLite writes one transaction at a time anyway, and a second pooled
     * writer would only wait on the lock. Close it when the application stops, after the logger.
     *
     * <p>Needs the artifact {@code io.listenlog:listen-log-sqlite}, which brings sqlite-jdbc and HikariCP.
     *
     * @throws IllegalStateException if sqlite-jdbc is missing; the message names the artifact to add
     */
    public static HikariDataSource sqlite(Path file) {
        Objects.requireNonNull(file, "file");
        try {
            return sqlitePool(file);
        } catch (NoClassDefFoundError e) {
            throw new IllegalStateException("ListenLogDataSources.sqlite needs sqlite-jdbc and HikariCP on the class "
                    + "path: add the dependency io.listenlog:" + Vendor.SQLITE.artifact() + " (type pom) instead of "
                    + "listen-log-jdbc alone", e);
        }
    }

    private static HikariDataSource sqlitePool(Path file) {
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        sqlite.enforceForeignKeys(true);
        sqlite.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);

        HikariConfig config = new HikariConfig();
        config.setPoolName("listen-log-sqlite");
        config.setJdbcUrl("jdbc:sqlite:" + file.toAbsolutePath());
        config.setDataSourceProperties(sqlite.toProperties());
        config.setMaximumPoolSize(1);
        return new HikariDataSource(config);
    }
}
