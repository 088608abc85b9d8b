package io.listenlog.jdbc;

import io.listenlog.jdbc.internal.Rollups;
import io.listenlog.jdbc.internal.Schema;
import io.listenlog.jdbc.internal.SqlFailures;
import io.listenlog.jdbc.internal.Transactions;
import io.listenlog.jdbc.internal.Vendor;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Read-only listen statistics. Days are UTC days and ranges include both ends; a {@code sourceId} of {@code null}
 * means all sources.
 *
 * <p>Plays, unique listeners and durations of days up to the rollup watermark of {@link ListenRetention} come from
 * the rollup tables, later days from {@code listen_event}, so those numbers stay the same when retention deletes raw
 * rows. Referrers and user agents are not rolled up: they cover the events still kept.
 *
 * <p>Thread-safe; each call uses one connection of the pool for its duration.
 */
public final class ListenStats {

    private static final Comparator<CountedValue> MOST_PLAYED =
            Comparator.comparingLong(CountedValue::plays).reversed().thenComparing(CountedValue::value);

    private final DataSource dataSource;
    private final Vendor vendor;

    private ListenStats(DataSource dataSource, Vendor vendor) {
        this.dataSource = dataSource;
        this.vendor = vendor;
    }

    /**
     * Statistics over the listen-log tables behind {@code dataSource}. Opens one connection to detect the database and
     * to check that the V7_1 migration ran.
     *
     * @throws IllegalArgumentException if the database is not SQLite, PostgreSQL, MariaDB or MySQL
     * @throws IllegalStateException    if no connection could be opened, or the schema is missing
     */
    public static ListenStats create(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource");
        Vendor vendor = Schema.detectAndRequire(dataSource, "listen_daily_total", "day", "V7_1");
        return new ListenStats(dataSource, vendor);
    }

    /**
     * Listens of {@code sourceId} (or all sources) from {@code from} to {@code to}.
     *
     * @throws IllegalArgumentException if {@code from} is after {@code to}, or {@code sourceId} is not positive
     */
    public long totalPlays(Long sourceId, LocalDate from, LocalDate to) {
        requireRange(sourceId, from, to);
        return read("total plays", c -> {
            Split split = split(c, from, to);
            long plays = 0;
            if (split.hasRolledUp()) {
                plays += single(c, "SELECT COALESCE(SUM(plays), 0) FROM listen_daily" + rolledUpWhere(sourceId),
                        ps -> bindRolledUp(ps, sourceId, split));
            }
            if (split.hasRaw()) {
                plays += single(c, "SELECT COUNT(*) FROM listen_event" + rawWhere(sourceId),
                        ps -> bindRaw(ps, sourceId, split.rawFrom, split.to));
            }
            return plays;
        });
    }

    /**
     * One element per day from {@code from} to {@code to}, in order, days without listens included as zeros. For all
     * sources, unique listeners are the distinct addresses across sources that day, not a sum per source.
     *
     * @throws IllegalArgumentException if {@code from} is after {@code to}, or {@code sourceId} is not positive
     */
    public List<DailyListens> perDay(Long sourceId, LocalDate from, LocalDate to) {
        requireRange(sourceId, from, to);
        return read("listens per day", c -> {
            Split split = split(c, from, to);
            Map<LocalDate, DailyListens> days = new HashMap<>();
            if (split.hasRolledUp()) {
                String table = sourceId == null ? "listen_daily_total" : "listen_daily";
                try (PreparedStatement ps = c.prepareStatement("SELECT day, plays, unique_listeners, "
                        + "total_duration_seconds FROM " + table + rolledUpWhere(sourceId))) {
                    bindRolledUp(ps, sourceId, split);
                    collectDays(ps, days);
                }
            }
            if (split.hasRaw()) {
                String day = vendor.utcDayOf("occurred_at");
                try (PreparedStatement ps = c.prepareStatement("SELECT " + day + ", COUNT(*), COUNT(DISTINCT ip), "
                        + "COALESCE(SUM(duration_seconds), 0) FROM listen_event" + rawWhere(sourceId)
                        + " GROUP BY " + day)) {
                    bindRaw(ps, sourceId, split.rawFrom, split.to);
                    collectDays(ps, days);
                }
            }
            List<DailyListens> result = new ArrayList<>();
            for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
                result.add(days.getOrDefault(day, new DailyListens(day, 0, 0, 0)));
            }
            return result;
        });
    }

    /**
     * The {@code limit} most frequent referrer hosts (lowercased) of {@code sourceId} (or all sources), most plays
     * first, ties by host. Listens without a referrer, or with one that is not a URL with a host, are left out. Covers
     * the events retention still keeps.
     *
     * @throws IllegalArgumentException if {@code from} is after {@code to}, {@code sourceId} is not positive or
     *                                  {@code limit} is less than 1
     */
    public List<CountedValue> topReferrerHosts(Long sourceId, LocalDate from, LocalDate to, int limit) {
        return topValues("referrer", ReferrerHosts::hostOf, sourceId, from, to, limit);
    }

    /**
     * The {@code limit} most frequent user agents of {@code sourceId} (or all sources), most plays first, ties by
     * user agent. Listens without one are left out. Covers the events retention still keeps.
     *
     * @throws IllegalArgumentException if {@code from} is after {@code to}, {@code sourceId} is not positive or
     *                                  {@code limit} is less than 1
     */
    public List<CountedValue> topUserAgents(Long sourceId, LocalDate from, LocalDate to, int limit) {
        return topValues("user_agent", UnaryOperator.identity(), sourceId, from, to, limit);
    }

    /**
     * The {@code limit} sources with the most listens from {@code from} to {@code to}, most first, ties by id.
     * Sources without listens in the range are left out.
     *
     * @throws IllegalArgumentException if {@code from} is after {@code to} or {@code limit} is less than 1
     */
    public List<SourceListens> topSources(LocalDate from, LocalDate to, int limit) {
        requireRange(null, from, to);
        requireLimit(limit);
        return read("top sources", c -> {
            Split split = split(c, from, to);
            Map<Long, Long> plays = new HashMap<>();
            if (split.hasRolledUp()) {
                try (PreparedStatement ps = c.prepareStatement("SELECT source_id, SUM(plays) FROM listen_daily"
                        + rolledUpWhere(null) + " GROUP BY source_id")) {
                    bindRolledUp(ps, null, split);
                    collectCounts(ps, rs -> rs.getLong(1), plays);
                }
            }
            if (split.hasRaw()) {
                try (PreparedStatement ps = c.prepareStatement("SELECT source_id, COUNT(*) FROM listen_event"
                        + rawWhere(null) + " GROUP BY source_id")) {
                    bindRaw(ps, null, split.rawFrom, split.to);
                    collectCounts(ps, rs -> rs.getLong(1), plays);
                }
            }
            return plays.entrySet().stream()
                    .map(e -> new SourceListens(e.getKey(), e.getValue()))
                    .sorted(Comparator.comparingLong(SourceListens::plays).reversed()
                            .thenComparingLong(SourceListens::sourceId))
                    .limit(limit)
                    .toList();
        });
    }

    private List<CountedValue> topValues(String column, UnaryOperator<String> valueOf, Long sourceId,
                                         LocalDate from, LocalDate to, int limit) {
        requireRange(sourceId, from, to);
        requireLimit(limit);
        return read("top " + column + " values", c -> {
            String exact = vendor.exactText(column);
            Map<String, Long> plays = new HashMap<>();
            // Grouped in SQL by the stored text, ranked in Java: the same order on every database, whatever its collation.
            try (PreparedStatement ps = c.prepareStatement("SELECT " + exact + ", COUNT(*) FROM listen_event"
                    + rawWhere(sourceId) + " AND " + column + " IS NOT NULL GROUP BY " + exact)) {
                bindRaw(ps, sourceId, from, to);
                collectCounts(ps, rs -> valueOf.apply(rs.getString(1)), plays);
            }
            return plays.entrySet().stream()
                    .map(e -> new CountedValue(e.getKey(), e.getValue()))
                    .sorted(MOST_PLAYED)
                    .limit(limit)
                    .toList();
        });
    }

    /**
     * Which part of {@code from..to} is rolled up (up to the watermark) and which is read from the raw events.
     *
     * @param rolledUpTo last day read from the rollups, or {@code null} for none
     * @param rawFrom    first day read from the events, or {@code null} for none
     */
    private record Split(LocalDate from, LocalDate rolledUpTo, LocalDate rawFrom, LocalDate to) {
        boolean hasRolledUp() {
            return rolledUpTo != null;
        }

        boolean hasRaw() {
            return rawFrom != null;
        }
    }

    private Split split(Connection c, LocalDate from, LocalDate to) throws SQLException {
        LocalDate watermark = Rollups.watermark(vendor, c, Rollups.WATERMARK_SQL);
        if (watermark == null || watermark.isBefore(from)) {
            return new Split(from, null, from, to);
        }
        if (!watermark.isBefore(to)) {
            return new Split(from, to, null, to);
        }
        return new Split(from, watermark, watermark.plusDays(1), to);
    }

    private static String rolledUpWhere(Long sourceId) {
        return " WHERE " + (sourceId == null ? "" : "source_id = ? AND ") + "day >= ? AND day <= ?";
    }

    private void bindRolledUp(PreparedStatement ps, Long sourceId, Split split) throws SQLException {
        int i = 1;
        if (sourceId != null) {
            ps.setLong(i++, sourceId);
        }
        vendor.bindDay(ps, i++, split.from);
        vendor.bindDay(ps, i, split.rolledUpTo);
    }

    private static String rawWhere(Long sourceId) {
        return " WHERE " + (sourceId == null ? "" : "source_id = ? AND ") + "occurred_at >= ? AND occurred_at < ?";
    }

    private void bindRaw(PreparedStatement ps, Long sourceId, LocalDate from, LocalDate to) throws SQLException {
        int i = 1;
        if (sourceId != null) {
            ps.setLong(i++, sourceId);
        }
        vendor.bindTimestamp(ps, i++, Rollups.startOf(from));
        vendor.bindTimestamp(ps, i, Rollups.endOf(to));
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    @FunctionalInterface
    private interface Key<K> {
        /** The key of a row, or {@code null} to leave it out. */
        K of(ResultSet row) throws SQLException;
    }

    private static long single(Connection c, String sql, Binder binder) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private void collectDays(PreparedStatement ps, Map<LocalDate, DailyListens> days) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                LocalDate day = vendor.readDay(rs, 1);
                days.put(day, new DailyListens(day, rs.getLong(2), rs.getLong(3), rs.getLong(4)));
            }
        }
    }

    /** Adds each row's count (column 2) to its key's total. */
    private static <K> void collectCounts(PreparedStatement ps, Key<K> key, Map<K, Long> counts) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                K k = key.of(rs);
                if (k != null) {
                    counts.merge(k, rs.getLong(2), Long::sum);
                }
            }
        }
    }

    /** One snapshot per query, so a concurrent retention run cannot move a day between the rollups and the events. */
    private <T> T read(String what, Transactions.Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return Transactions.inSnapshot(connection, vendor.snapshotIsolation(), work);
        } catch (SQLException e) {
            throw new IllegalStateException("listen-log could not read " + what + " from " + vendor + ": "
                    + SqlFailures.classify(vendor, e).describe(), e);
        }
    }

    private static void requireRange(Long sourceId, LocalDate from, LocalDate to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("from (" + from + ") must not be after to (" + to + ")");
        }
        if (sourceId != null && sourceId <= 0) {
            throw new IllegalArgumentException("sourceId must be a positive radio_source id, or null for all "
                    + "sources; got " + sourceId);
        }
    }

    private static void requireLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
    }

    @Override
    public String toString() {
        return "ListenStats[" + vendor + "]";
    }
}
