package io.listenlog.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import javax.sql.DataSource;

/**
 * The deletion half of a retention run: the events whose listens ended before the cutoff and whose day is rolled up,
 * in short batches, or whole monthly partitions where {@code listen_event} has them (whose next months it makes).
 */
public final class EventPurge {
    private final DataSource dataSource;
    private final Vendor vendor;
    private final int deleteBatchSize;
    /** A listen that reaches into a day a repair may roll up again is kept, for that repair. */
    private final Duration lookback;

    public EventPurge(DataSource dataSource, Vendor vendor, int deleteBatchSize, Duration lookback) {
        this.dataSource = dataSource;
        this.vendor = vendor;
        this.deleteBatchSize = deleteBatchSize;
        this.lookback = lookback;
    }

    public void purge(RetentionRun run, Instant now, Instant cutoff) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            boolean partitioned = vendor.partitionedByMonth();
            SQLException notCreated = null;
            if (partitioned) {
                for (YearMonth month : PostgresPartitions.missingAhead(connection, now)) {
                    try {
                        Transactions.inTransaction(connection, c -> PostgresPartitions.create(c, month));
                    } catch (SQLException e) {
                        notCreated = RetentionRun.joined(notCreated, e);  // the rest of the run goes on; reported once it is done
                    }
                }
            }
            LocalDate watermark = Rollups.watermark(vendor, connection, Rollups.WATERMARK_SQL);
            if (watermark == null) {
                if (notCreated != null) {
                    throw notCreated;
                }
                return;
            }
            Instant notRolledUp = Rollups.endOf(watermark);
            Instant before = cutoff.isBefore(notRolledUp) ? cutoff : notRolledUp;
            String table = "listen_event";
            if (partitioned) {
                // A month goes once its listens have all ended before the cutoff: its last day's may reach the next.
                for (YearMonth month : PostgresPartitions.endedBefore(connection, before.minus(lookback))) {
                    run.eventsDeleted += Transactions.inTransaction(connection, c -> PostgresPartitions.drop(c, month));
                }
                // A month's own partition goes whole once it has ended; only the default partition is purged by row.
                table = PostgresPartitions.DEFAULT_PARTITION;
            }
            // Until a batch finds nothing, not until a short one: a run beside another may see short batches early.
            int deleted;
            do {
                String sql = vendor.deleteEventsBeforeSql(table);
                deleted = Transactions.inTransaction(connection, c -> deleteBatch(c, sql, before));
                run.eventsDeleted += deleted;
            } while (deleted > 0);
            if (notCreated != null) {
                throw notCreated;
            }
        }
    }

    private int deleteBatch(Connection c, String deleteSql, Instant before) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement(deleteSql)) {
            vendor.bindTimestamp(delete, 1, before);
            vendor.bindTimestamp(delete, 2, before.minus(lookback));
            vendor.bindTimestamp(delete, 3, before);
            delete.setInt(4, deleteBatchSize);
            return delete.executeUpdate();
        }
    }
}
