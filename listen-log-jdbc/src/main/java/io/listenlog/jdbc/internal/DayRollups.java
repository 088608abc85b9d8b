package io.listenlog.jdbc.internal;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * The rollup half of a retention run: each complete day into {@code listen_daily}, {@code listen_daily_total} and
 * the audience tables, in its own transaction under the watermark's row lock, and the repair of rolled-up days whose
 * events changed since.
 */
public final class DayRollups {
    private static final Logger LOG = LoggerFactory.getLogger(DayRollups.class);

    private static final String PER_SOURCE_SQL = "SELECT source_id, COUNT(*), COUNT(DISTINCT ip), "
            + "COALESCE(SUM(duration_seconds), 0) FROM listen_event WHERE occurred_at >= ? AND occurred_at < ? "
            + "GROUP BY source_id";
    private static final String ALL_SOURCES_SQL = "SELECT COUNT(*), COUNT(DISTINCT ip), "
            + "COALESCE(SUM(duration_seconds), 0) FROM listen_event WHERE occurred_at >= ? AND occurred_at < ?";
    private static final String INSERT_DAILY_SQL = "INSERT INTO listen_daily "
            + "(source_id, day, plays, unique_listeners, total_duration_seconds) VALUES (?, ?, ?, ?, ?)";
    private static final String INSERT_TOTAL_SQL = "INSERT INTO listen_daily_total "
            + "(day, plays, unique_listeners, total_duration_seconds) VALUES (?, ?, ?, ?)";

    private final DataSource dataSource;
    private final Vendor vendor;
    private final AudienceRollups audience;
    private final DayChanges changes;
    private final String earliestDaySql;

    public DayRollups(DataSource dataSource, Vendor vendor, AudienceRollups audience) {
        this.dataSource = dataSource;
        this.vendor = vendor;
        this.audience = audience;
        this.changes = new DayChanges(vendor);
        // Jumps over days without events, so that one event of year 1 does not cost a transaction per day since.
        this.earliestDaySql = "SELECT " + vendor.utcDayOf("occurred_at")
                + " FROM listen_event WHERE occurred_at >= ? ORDER BY occurred_at LIMIT 1";
    }

    public void rollUp(RetentionRun run, LocalDate today) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            int days;
            while ((days = Transactions.inTransaction(connection, c -> rollUpNextDay(c, today))) > 0) {
                run.daysRolledUp += days;
            }
        }
    }

    /**
     * Rolls up the next day with events after the watermark, read under a lock of its row, so that of several runs at
     * once exactly one rolls up each day and the others find it done. Days without events on the way are rolled up
     * by moving the watermark past them: one event of year 1000 does not cost a transaction per day since. The
     * changes marked on the days passed are read before any event, and settled with them.
     *
     * @return how many complete days the watermark moved over; 0 when there was none
     */
    private int rollUpNextDay(Connection c, LocalDate today) throws SQLException {
        LocalDate watermark = Rollups.watermark(vendor, c, vendor.lockingRead(Rollups.WATERMARK_SQL));
        LocalDate after = watermark != null ? watermark.plusDays(1) : null;
        List<DayChanges.Mark> marks = changes.read(c,
                after != null ? after : LocalDate.ofInstant(vendor.earliestStorable(), ZoneOffset.UTC),
                today.minusDays(1));
        LocalDate next = earliestEventDay(c, after);
        LocalDate day = next != null && next.isBefore(today) ? next : today.minusDays(1);
        if (after == null ? next == null || !next.isBefore(today) : day.isBefore(after)) {
            return 0;
        }
        if (after != null && after.isBefore(day)) {
            audience.rewrite(c, after);  // no events start on it, but the previous day's sessions may reach into it
        }
        if (day.equals(next)) {
            writeDay(c, day);
            audience.rewrite(c, day);
        }
        changes.settle(c, marks.stream().filter(mark -> !mark.day().isAfter(day)).toList());
        try (PreparedStatement update = c.prepareStatement(Rollups.SET_WATERMARK_SQL)) {
            vendor.bindDay(update, 1, day);
            update.executeUpdate();
        }
        return after == null ? 1 : (int) ChronoUnit.DAYS.between(after, day) + 1;
    }

    /** Writes the {@code listen_daily} rows and the {@code listen_daily_total} row of {@code day} from its events. */
    private void writeDay(Connection c, LocalDate day) throws SQLException {
        Instant start = Rollups.startOf(day);
        Instant end = Rollups.endOf(day);
        try (PreparedStatement select = c.prepareStatement(PER_SOURCE_SQL);
             PreparedStatement insert = c.prepareStatement(INSERT_DAILY_SQL)) {
            bindRange(select, start, end);
            boolean any = false;
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    insert.setLong(1, rs.getLong(1));
                    vendor.bindDay(insert, 2, day);
                    insert.setLong(3, rs.getLong(2));
                    insert.setLong(4, rs.getLong(3));
                    insert.setLong(5, rs.getLong(4));
                    insert.addBatch();
                    any = true;
                }
            }
            if (any) {
                insert.executeBatch();
                insertTotal(c, day, start, end);
            }
        }
    }

    /**
     * Rolls up again every rolled-up day still wholly inside retention whose events changed since its roll-up: events
     * written late (after an outage across midnight, a replay), listening time reported late (a listen still playing
     * when its day was rolled up), or events deleted (a deletion request). The store marked each
     * such day in the transaction that changed it, so the run reads the marks, not the kept events. The next day is
     * rolled up again with it, as the changed sessions may reach into it. The first run after the migration V7_7 also
     * compares the signatures earlier versions kept, once.
     */
    public void repairChangedDays(RetentionRun run, Instant cutoff) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            LocalDate watermark = Rollups.watermark(vendor, connection, Rollups.WATERMARK_SQL);
            LocalDate firstComplete = LocalDate.ofInstant(cutoff, ZoneOffset.UTC).plusDays(1);
            Transactions.inTransactionDo(connection, c -> {
                if (audience.hasSignatures(c)) {
                    if (watermark != null && !firstComplete.isAfter(watermark)) {
                        changes.markDays(c, audience.changedSinceSignatures(c, firstComplete, watermark));
                    }
                    audience.forgetSignatures(c);
                }
                changes.repairFrom(c, firstComplete);
            });
            if (watermark == null || firstComplete.isAfter(watermark)) {
                return;
            }
            SortedSet<LocalDate> changed = new TreeSet<>();
            changes.read(connection, firstComplete, watermark).forEach(mark -> changed.add(mark.day()));
            SortedSet<LocalDate> rewrite = new TreeSet<>();
            for (LocalDate day : changed) {
                rewrite.add(day);
                if (day.isBefore(watermark)) {
                    rewrite.add(day.plusDays(1));
                }
            }
            for (LocalDate day : rewrite) {
                Transactions.inTransactionDo(connection, c -> {
                    Rollups.watermark(vendor, c, vendor.lockingRead(Rollups.WATERMARK_SQL));
                    List<DayChanges.Mark> marks = changes.read(c, day, day);
                    for (String table : new String[] {"listen_daily", "listen_daily_total"}) {
                        try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + table + " WHERE day = ?")) {
                            vendor.bindDay(delete, 1, day);
                            delete.executeUpdate();
                        }
                    }
                    writeDay(c, day);
                    audience.rewrite(c, day);
                    changes.settle(c, marks);
                });
                run.daysRolledUp++;
            }
            if (!changed.isEmpty()) {
                LOG.info("listen-log rolled up {} day(s) again whose events changed since their roll-up: {}",
                        rewrite.size(), changed);
            }
        }
    }

    private void insertTotal(Connection c, LocalDate day, Instant start, Instant end) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(ALL_SOURCES_SQL);
             PreparedStatement insert = c.prepareStatement(INSERT_TOTAL_SQL)) {
            bindRange(select, start, end);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                vendor.bindDay(insert, 1, day);
                insert.setLong(2, rs.getLong(1));
                insert.setLong(3, rs.getLong(2));
                insert.setLong(4, rs.getLong(3));
            }
            insert.executeUpdate();
        }
    }

    /** The UTC day of the earliest event on or after {@code from} (or at all), or {@code null} when there is none. */
    private @Nullable LocalDate earliestEventDay(Connection c, @Nullable LocalDate from) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(earliestDaySql)) {
            vendor.bindTimestamp(select, 1, from == null ? vendor.earliestStorable() : Rollups.startOf(from));
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? vendor.readDayOrNull(rs, 1) : null;
            }
        }
    }

    private void bindRange(PreparedStatement ps, Instant start, Instant end) throws SQLException {
        vendor.bindTimestamp(ps, 1, start);
        vendor.bindTimestamp(ps, 2, end);
    }
}
