package io.listenlog.jdbc;

import io.listenlog.core.ListenEvent;
import io.listenlog.core.ListenStore;
import io.listenlog.core.ListenStoreException;
import io.listenlog.core.internal.JsonShape;
import io.listenlog.jdbc.internal.Schema;
import io.listenlog.jdbc.internal.SqlFailures;
import io.listenlog.jdbc.internal.Transactions;
import io.listenlog.jdbc.internal.Vendor;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A {@link ListenStore} over JDBC for SQLite, PostgreSQL, MariaDB and MySQL, writing the schema of the V7_0 migration
 * (see {@link ListenLogMigrations}).
 *
 * <p>Each batch is one transaction: one {@code UPDATE radio_source SET listen_count = COALESCE(listen_count, 0) + n}
 * per distinct source, in ascending id order (so that several app instances writing to one database lock the rows in
 * the same order and never deadlock), then one batched {@code INSERT} of the {@code listen_event} rows. Either the
 * whole batch is visible, rows and counts, or none of it.
 *
 * <p>Failures are classified from SQLStates and vendor codes: connection loss, timeouts, lock and serialization
 * failures, deadlocks and {@code SQLITE_BUSY}/{@code SQLITE_LOCKED} are {@linkplain ListenStoreException#transientFailure
 * transient}; events of a source id that is not in {@code radio_source} are {@linkplain ListenStoreException#rejected
 * rejected} by index, and so are events at a time the database cannot store (outside years 1..9999, or before 1000 on
 * MariaDB/MySQL); other constraint or data violations are rejected without indexes, so the logger bisects the batch.
 * Anything thrown, an {@code Error} included, rolls the transaction back. Messages never quote row values. A failure of the connection during {@code COMMIT} leaves the outcome unknown; it is reported as transient, so
 * in that rare case the batch may be written twice.
 *
 * <p>Thread-safe; holds no connection between writes.
 */
public final class JdbcListenStore implements ListenStore {

    private static final String INCREMENT_SQL =
            "UPDATE radio_source SET listen_count = COALESCE(listen_count, 0) + ? WHERE id = ?";

    private final DataSource dataSource;
    private final Vendor vendor;
    private final String insertSql;

    private JdbcListenStore(DataSource dataSource, Vendor vendor) {
        this.dataSource = dataSource;
        this.vendor = vendor;
        this.insertSql = vendor.insertSql();
    }

    /**
     * A store writing through {@code dataSource}. Opens one connection to detect the database from its metadata and
     * to check that the listen-log schema is there, so that a misconfiguration fails at startup, not at the first
     * play.
     *
     * @throws IllegalArgumentException if the database is not SQLite, PostgreSQL, MariaDB or MySQL
     * @throws IllegalStateException    if no connection could be opened, or the {@code listen_event} table is missing
     */
    public static JdbcListenStore create(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource");
        Vendor vendor = Schema.detectAndRequire(dataSource, "listen_event", "source_id", "V7_0");
        return new JdbcListenStore(dataSource, vendor);
    }

    @Override
    public void write(List<ListenEvent> batch) {
        rejectUnstorableTimes(batch);
        String[] extras = extrasAsJson(batch);
        Connection connection;
        try {
            connection = dataSource.getConnection();
        } catch (SQLException e) {
            throw failure(batch, e);
        }
        try {
            writeInTransaction(connection, batch, extras);
        } catch (SQLException e) {
            throw failure(batch, e);
        } finally {
            closeQuietly(connection);
        }
    }

    /** Such a time would fail the whole batch, or be stored as a zero date or out of text order. */
    private void rejectUnstorableTimes(List<ListenEvent> batch) {
        Instant earliest = vendor.earliestStorable();
        Instant latest = vendor.latestStorable();
        int[] bad = IntStream.range(0, batch.size())
                .filter(i -> batch.get(i).occurredAt().isBefore(earliest) || batch.get(i).occurredAt().isAfter(latest))
                .toArray();
        if (bad.length > 0) {
            throw ListenStoreException.rejected(bad.length + " listen(s) happened at a time " + vendor
                    + " cannot store (outside " + earliest + ".." + latest + ")", null, bad);
        }
    }

    private static String[] extrasAsJson(List<ListenEvent> batch) {
        String[] extras = new String[batch.size()];
        for (int i = 0; i < extras.length; i++) {
            Map<String, Object> extra = batch.get(i).extra();
            extras[i] = extra == null ? null : JsonShape.toJson(extra);
        }
        return extras;
    }

    private void writeInTransaction(Connection connection, List<ListenEvent> batch, String[] extras)
            throws SQLException {
        Transactions.inTransaction(connection, c -> {
            Set<Long> unknownSources = incrementCounters(c, countsPerSource(batch));
            if (!unknownSources.isEmpty()) {
                throw unknownSources(batch, unknownSources);
            }
            insertEvents(c, batch, extras);
            return null;
        });
    }

    private static SortedMap<Long, Integer> countsPerSource(List<ListenEvent> batch) {
        SortedMap<Long, Integer> counts = new TreeMap<>();
        for (ListenEvent event : batch) {
            counts.merge(event.sourceId(), 1, Integer::sum);
        }
        return counts;
    }

    /** @return the source ids that matched no {@code radio_source} row */
    private static Set<Long> incrementCounters(Connection connection, SortedMap<Long, Integer> counts)
            throws SQLException {
        Set<Long> unknown = new TreeSet<>();
        // One statement at a time rather than a JDBC batch: batched update counts are unreliable with some drivers'
        // batch rewriting, and the count is what tells an unknown source id.
        try (PreparedStatement update = connection.prepareStatement(INCREMENT_SQL)) {
            for (Map.Entry<Long, Integer> entry : counts.entrySet()) {
                update.setLong(1, entry.getValue());
                update.setLong(2, entry.getKey());
                if (update.executeUpdate() == 0) {
                    unknown.add(entry.getKey());
                }
            }
        }
        return unknown;
    }

    private void insertEvents(Connection connection, List<ListenEvent> batch, String[] extras) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(insertSql)) {
            for (int i = 0; i < extras.length; i++) {
                ListenEvent event = batch.get(i);
                insert.setLong(1, event.sourceId());
                vendor.bindTimestamp(insert, 2, event.occurredAt());
                insert.setString(3, event.ipHash());
                insert.setString(4, event.userAgent());
                insert.setString(5, event.referrer());
                if (event.durationSeconds() == null) {
                    insert.setNull(6, Types.INTEGER);
                } else {
                    insert.setInt(6, event.durationSeconds());
                }
                insert.setString(7, extras[i]);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static ListenStoreException unknownSources(List<ListenEvent> batch, Set<Long> unknownSources) {
        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            if (unknownSources.contains(batch.get(i).sourceId())) {
                indexes.add(i);
            }
        }
        return ListenStoreException.rejected("no radio_source row has the id " + unknownSources
                        + "; the host must create a source before logging plays of it", null,
                indexes.stream().mapToInt(Integer::intValue).toArray());
    }

    private ListenStoreException failure(List<ListenEvent> batch, SQLException e) {
        SqlFailures.Classification failure = SqlFailures.classify(vendor, e);
        String what = "listen-log could not write " + batch.size() + " listen(s) to " + vendor + ": ";
        return switch (failure.kind()) {
            case TRANSIENT -> ListenStoreException.transientFailure(what + failure.describe(), e);
            case REJECTED -> ListenStoreException.rejected(what + "a constraint was violated: " + failure.describe(), e);
            case UNEXPECTED -> ListenStoreException.transientFailure(what + "unexpected database error, check the "
                    + "schema and the connection settings: " + failure.describe(), e);
        };
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // After a commit, a failing close must not turn a written batch into a retried (duplicated) one.
        }
    }

    @Override
    public String toString() {
        return "JdbcListenStore[" + vendor + "]";
    }
}
