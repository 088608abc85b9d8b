package io.listenlog.jdbc;

import com.zaxxer.hikari.HikariDataSource;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** A database, schema or file that belongs to one test only, dropped after it. */
abstract class IsolatedDatabase implements AutoCloseable {

    /** A new connection pool onto this database; the caller closes it. */
    abstract HikariDataSource newPool();

    /** Reads {@code listen_event.occurred_at} as the vendor stores it. */
    abstract Instant readOccurredAt(ResultSet row, String column) throws SQLException;

    /**
     * Kills every server connection open to this database from outside, as a database restart would.
     *
     * @return how many were killed
     */
    abstract int killServerConnections() throws SQLException;

    /** Drops the database. */
    @Override
    public abstract void close() throws Exception;

    /** {@code url} with {@code params} appended as query parameters. */
    static String withParams(String url, String... params) {
        StringBuilder b = new StringBuilder(url);
        for (String param : params) {
            b.append(b.indexOf("?") < 0 ? '?' : '&').append(param);
        }
        return b.toString();
    }
}
