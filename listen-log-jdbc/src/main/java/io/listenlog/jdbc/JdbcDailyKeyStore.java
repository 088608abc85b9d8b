package io.listenlog.jdbc;

import io.listenlog.core.DailyKeyStore;
import io.listenlog.core.ListenStoreException;
import io.listenlog.jdbc.internal.Schema;
import io.listenlog.jdbc.internal.SqlFailures;
import io.listenlog.jdbc.internal.Transactions;
import io.listenlog.jdbc.internal.Vendor;
import org.jspecify.annotations.Nullable;

import javax.sql.DataSource;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * The keys of {@link io.listenlog.core.IpAnonymizer#dailyRotating(DailyKeyStore)} in the table
 * {@code listen_anonymizer_key} of the V7_1 migration, shared by every app instance on the database: the first
 * instance that needs a day's key inserts a fresh random one, a concurrent insert of another instance loses, and
 * everyone reads back the one that won.
 *
 * <p>Anyone who can read the table can recompute the hashes of the days whose keys are still there; once
 * {@link #destroyBefore(LocalDate)} deleted a key, hashes of its day can no longer be linked to addresses (backups of
 * the database keep the keys they contain, though). {@code destroyBefore} also moves the horizon in
 * {@code listen_anonymizer_horizon} (migration V7_1_1): {@link #keyFor} returns {@code null} for an earlier day and
 * never creates its key again. Reading the horizon takes a shared lock of its row, so a key cannot be created while a
 * destruction moves the horizon past its day. {@code ListenRetention} destroys keys on its schedule when it is given
 * this store.
 *
 * <p>Thread-safe; the anonymizer caches each day's key, so this store is asked about once per day and instance.
 */
public final class JdbcDailyKeyStore implements DailyKeyStore {

    private static final int KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SELECT_SQL = "SELECT key_bytes FROM listen_anonymizer_key WHERE day = ?";
    private static final String DELETE_SQL = "DELETE FROM listen_anonymizer_key WHERE day < ?";
    private static final String HORIZON_SQL = "SELECT destroyed_before FROM listen_anonymizer_horizon WHERE id = 1";
    private static final String SET_HORIZON_SQL = "UPDATE listen_anonymizer_horizon SET destroyed_before = ? WHERE id = 1";

    private final DataSource dataSource;
    private final Vendor vendor;
    private final String insertSql;

    private JdbcDailyKeyStore(DataSource dataSource, Vendor vendor) {
        this.dataSource = dataSource;
        this.vendor = vendor;
        this.insertSql = "INSERT INTO listen_anonymizer_key (day, key_bytes, created_at) VALUES (?, ?, ?)"
                + vendor.onConflictDoNothing("day");
    }

    /**
     * A key store in the database behind {@code dataSource}. Opens one connection to detect the database and to check
     * that the V7_1 migration ran.
     *
     * @throws IllegalArgumentException if the database is not SQLite, PostgreSQL, MariaDB or MySQL
     * @throws IllegalStateException    if no connection could be opened, or the schema is missing
     */
    public static JdbcDailyKeyStore create(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource");
        Vendor vendor = Schema.detectAndRequire(dataSource, "listen_anonymizer_horizon", "destroyed_before", "V7_1_1");
        return new JdbcDailyKeyStore(dataSource, vendor);
    }

    /**
     * @return the day's key, or {@code null} when the day lies before the destroyed horizon
     * @throws ListenStoreException a transient failure when the database failed; the logger retries
     */
    @Override
    public byte @Nullable [] keyFor(LocalDate day) {
        Objects.requireNonNull(day, "day");
        byte[] fresh = new byte[KEY_BYTES];
        RANDOM.nextBytes(fresh);
        try (Connection connection = dataSource.getConnection()) {
            return Transactions.inTransaction(connection, c -> {
                LocalDate horizon = horizon(c, vendor.sharedLockingRead(HORIZON_SQL));
                return day.isBefore(horizon) ? Optional.<byte[]>empty() : Optional.of(insertAndRead(c, day, fresh));
            }).orElse(null);
        } catch (SQLException e) {
            throw failure("read or create the anonymizer key of " + day, e);
        }
    }

    private LocalDate horizon(Connection c, String sql) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(sql);
             ResultSet rs = select.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("listen_anonymizer_horizon has no row: its migration V7_1_1 inserts it, "
                        + "something deleted it since; insert (1, the oldest day to keep) again");
            }
            return vendor.readDay(rs, 1);
        }
    }

    private byte[] insertAndRead(Connection c, LocalDate day, byte[] fresh) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(insertSql)) {
            vendor.bindDay(insert, 1, day);
            insert.setBytes(2, fresh);
            vendor.bindTimestamp(insert, 3, Clock.systemUTC().instant());
            insert.executeUpdate();
        }
        try (PreparedStatement select = c.prepareStatement(SELECT_SQL)) {
            vendor.bindDay(select, 1, day);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("listen-log's key of " + day + " vanished right after it was "
                            + "stored: is destroyBefore running with a date in the future?");
                }
                return rs.getBytes(1);
            }
        }
    }

    /**
     * Deletes the keys before {@code oldestKept} and moves the horizon there (never back).
     *
     * @throws ListenStoreException a transient failure when the database failed
     */
    @Override
    public void destroyBefore(LocalDate oldestKept) {
        Objects.requireNonNull(oldestKept, "oldestKept");
        try (Connection connection = dataSource.getConnection()) {
            Transactions.inTransaction(connection, c -> {
                LocalDate horizon = horizon(c, vendor.lockingRead(HORIZON_SQL));
                LocalDate destroyBefore = oldestKept.isAfter(horizon) ? oldestKept : horizon;
                try (PreparedStatement update = c.prepareStatement(SET_HORIZON_SQL);
                     PreparedStatement delete = c.prepareStatement(DELETE_SQL)) {
                    vendor.bindDay(update, 1, destroyBefore);
                    update.executeUpdate();
                    vendor.bindDay(delete, 1, destroyBefore);
                    return delete.executeUpdate();
                }
            });
        } catch (SQLException e) {
            throw failure("destroy the anonymizer keys before " + oldestKept, e);
        }
    }

    private ListenStoreException failure(String what, SQLException e) {
        return ListenStoreException.transientFailure("listen-log could not " + what + " on " + vendor + ": "
                + SqlFailures.classify(vendor, e).describe(), e);
    }

    @Override
    public String toString() {
        return "JdbcDailyKeyStore[" + vendor + "]";
    }
}
