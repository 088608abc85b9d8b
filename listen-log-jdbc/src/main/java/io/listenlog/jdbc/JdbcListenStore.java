package io.listenlog.jdbc;

import io.listenlog.core.ListenEvent;
import io.listenlog.core.ListenProgress;
import io.listenlog.core.ListenStore;
import io.listenlog.core.ListenStoreException;
import io.listenlog.core.internal.JsonShape;
import io.listenlog.jdbc.internal.DayChanges;
import io.listenlog.jdbc.internal.EventInserts;
import io.listenlog.jdbc.internal.Schema;
import io.listenlog.jdbc.internal.SqlFailures;
import io.listenlog.jdbc.internal.Transactions;
import io.listenlog.jdbc.internal.Vendor;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.IntStream;
import javax.sql.DataSource;

/**
 * A {@link ListenStore} over JDBC for SQLite, PostgreSQL, MariaDB and MySQL, writing the schema of the V7_x migrations
 * (see {@link ListenLogMigrations}).
 *
 * <p>Each batch is one transaction that writes every listen id once: it locks the batch's {@code radio_source} rows
 * in ascending id order ({@code SELECT ... FOR UPDATE}; SQLite's write lock), so writers on several instances never
 * deadlock and a writer of the same listens waits for this one; inserts the listens not stored yet; and increments
 * {@code listen_count} by the number of rows it inserted, per source, in ascending id order. How it skips stored
 * ids depends on the database: SQLite's conflict-ignoring insert reports each row it inserted; on PostgreSQL (with
 * pgjdbc, {@code COPY}) the batch is copied at once and only a batch that hits the unique {@code listen_id} index is
 * written again after reading which ids are stored (always so on a partitioned {@code listen_event}); MariaDB and
 * MySQL read the stored ids first. Either the whole batch is visible, rows and counts, or none of it, and
 * {@code listen_count == COUNT(*)} per source holds after any retry, replay or crash: a batch whose COMMIT succeeded
 * but whose acknowledgement was lost is retried as transient and then stores nothing twice.
 *
 * <p>Failures are classified from SQLStates and vendor codes: connection loss, timeouts, lock and serialization
 * failures, deadlocks and {@code SQLITE_BUSY}/{@code SQLITE_LOCKED} are {@linkplain ListenStoreException#transientFailure
 * transient}; events of a source id that is not in {@code radio_source} are {@linkplain ListenStoreException#rejected
 * rejected} by index, and so are events at a time the database cannot store (outside years 1..9999, or before 1000 on
 * MariaDB/MySQL); other constraint or data violations are rejected without indexes, so the logger bisects the batch.
 * Anything thrown, an {@code Error} included, rolls the transaction back. Messages never quote row values.
 *
 * <p>Thread-safe; holds no connection between writes.
 */
public final class JdbcListenStore implements ListenStore {

    private static final String UPDATE_DURATION_SQL = "UPDATE listen_event SET duration_seconds = ? "
            + "WHERE listen_id = ? AND (duration_seconds IS NULL OR duration_seconds < ?)";
    private static final String INCREMENT_SQL =
            "UPDATE radio_source SET listen_count = COALESCE(listen_count, 0) + ? WHERE id = ?";

    private final DataSource dataSource;
    private final Vendor vendor;
    private final EventInserts inserts;
    private final DayChanges changes;

    private JdbcListenStore(DataSource dataSource, Vendor vendor, EventInserts inserts) {
        this.dataSource = dataSource;
        this.vendor = vendor;
        this.inserts = inserts;
        this.changes = new DayChanges(vendor);
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
        Vendor vendor = Schema.detectAndRequire(dataSource, "listen_day_change", "version", "V7_7");
        EventInserts inserts;
        try (Connection c = dataSource.getConnection()) {
            inserts = vendor.inserts(c);
        } catch (SQLException e) {
            throw new IllegalStateException("listen-log could not connect to the database: " + e.getMessage(), e);
        }
        return new JdbcListenStore(dataSource, vendor, inserts);
    }

    @Override
    public void write(List<ListenEvent> batch) {
        rejectUnstorableTimes(batch);
        String[] extras = extrasAsJson(batch);
        Connection connection;
        try {
            connection = dataSource.getConnection();
        } catch (SQLException e) {
            throw failure("write " + batch.size() + " listen(s)", e);
        }
        try {
            try {
                writeInTransaction(connection, batch, extras, inserts);
            } catch (SQLException e) {
                EventInserts fallback = inserts.fallbackFor(e);
                if (fallback == null) {
                    throw e;
                }
                writeInTransaction(connection, batch, extras, fallback);
            }
        } catch (SQLException e) {
            throw failure("write " + batch.size() + " listen(s)", e);
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

    private void writeInTransaction(Connection connection, List<ListenEvent> batch, String[] extras,
                                    EventInserts inserts) throws SQLException {
        Transactions.inTransactionDo(connection, c -> {
            SortedSet<Long> sources = new TreeSet<>();
            batch.forEach(event -> sources.add(event.sourceId()));
            Set<Long> unknownSources = lockSources(c, sources);
            if (!unknownSources.isEmpty()) {
                throw unknownSources(batch, unknownSources);
            }
            List<Integer> inserted = inserts.insertNew(c, batch, extras);
            if (!inserted.isEmpty()) {
                incrementCounters(c, countsPerSource(batch, inserted));
                changes.markWritten(c, batch, inserted);
            }
        });
    }

    /**
     * Locks the {@code radio_source} rows of {@code sources} in ascending id order, so that writers on several
     * instances never deadlock and never write one listen twice.
     *
     * @return the ids that matched no row
     */
    private Set<Long> lockSources(Connection connection, SortedSet<Long> sources) throws SQLException {
        Set<Long> unknown = new TreeSet<>(sources);
        String sql = vendor.lockingRead("SELECT id FROM radio_source WHERE id IN ("
                + EventInserts.placeholders(sources.size()) + ") ORDER BY id");
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            int i = 1;
            for (long source : sources) {
                select.setLong(i++, source);
            }
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    unknown.remove(rs.getLong(1));
                }
            }
        }
        return unknown;
    }

    private static SortedMap<Long, Integer> countsPerSource(List<ListenEvent> batch, List<Integer> fresh) {
        SortedMap<Long, Integer> counts = new TreeMap<>();
        for (int i : fresh) {
            counts.merge(batch.get(i).sourceId(), 1, Integer::sum);
        }
        return counts;
    }

    private static void incrementCounters(Connection connection, SortedMap<Long, Integer> counts)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(INCREMENT_SQL)) {
            for (Map.Entry<Long, Integer> entry : counts.entrySet()) {
                update.setLong(1, entry.getValue());
                update.setLong(2, entry.getKey());
                update.addBatch();
            }
            update.executeBatch();
        }
    }

    /**
     * Sets each listen's {@code duration_seconds} to the larger of the stored and the new value, in one transaction,
     * listen ids in ascending order so that concurrent updaters never deadlock.
     */
    @Override
    public Set<UUID> updateDurations(List<ListenProgress> updates) {
        List<ListenProgress> sorted = updates.stream().sorted(Comparator.comparing(ListenProgress::listenId)).toList();
        try (Connection connection = dataSource.getConnection()) {
            return Transactions.inTransaction(connection, c -> {
                DayChanges.Stored found = changes.readStored(c, sorted.stream().map(ListenProgress::listenId).toList());
                Set<UUID> stored = found.ids();
                Set<UUID> unknown = new HashSet<>();
                try (PreparedStatement update = c.prepareStatement(UPDATE_DURATION_SQL)) {
                    for (ListenProgress progress : sorted) {
                        if (!stored.contains(progress.listenId())) {
                            unknown.add(progress.listenId());
                            continue;
                        }
                        update.setInt(1, progress.listenedSeconds());
                        vendor.bindListenId(update, 2, progress.listenId());
                        update.setInt(3, progress.listenedSeconds());
                        update.addBatch();
                    }
                    if (unknown.size() < sorted.size()) {
                        update.executeBatch();
                        changes.mark(c, found);
                    }
                }
                return unknown;
            });
        } catch (SQLException e) {
            throw failure("record the listening time of " + updates.size() + " listen(s)", e);
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

    private ListenStoreException failure(String work, SQLException e) {
        SqlFailures.Classification failure = SqlFailures.classify(vendor, e);
        String what = "listen-log could not " + work + " on " + vendor + ": ";
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
