package io.listenlog.jdbc.internal;

import io.listenlog.jdbc.DailyListens;
import org.jspecify.annotations.Nullable;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Map;

/**
 * The SQL that every statistics query shares: which part of a range the rollups hold and which the raw events, the
 * WHERE clauses and their bindings for both, and reading counts and days out of result sets.
 */
public final class StatsQueries {
    private final Vendor vendor;

    public StatsQueries(Vendor vendor) {
        this.vendor = vendor;
    }

    /**
     * Which part of {@code from..to} is rolled up (up to the watermark) and which is read from the raw events.
     *
     * @param rolledUpTo last day read from the rollups, or {@code null} for none
     * @param rawFrom    first day read from the events, or {@code null} for none
     */
    public record Split(LocalDate from, @Nullable LocalDate rolledUpTo, @Nullable LocalDate rawFrom, LocalDate to) {
        public boolean hasRolledUp() {
            return rolledUpTo != null;
        }

        public boolean hasRaw() {
            return rawFrom != null;
        }

        /** The first day read from raw events, when {@link #hasRaw()}. */
        public LocalDate rawFromDay() {
            return Objects.requireNonNull(rawFrom, "the range has no days to read from raw events");
        }

        /** The last day read from the rollups, when {@link #hasRolledUp()}. */
        public LocalDate rolledUpToDay() {
            return Objects.requireNonNull(rolledUpTo, "the range has no rolled-up days");
        }
    }

    public Split split(Connection c, LocalDate from, LocalDate to) throws SQLException {
        LocalDate watermark = Rollups.watermark(vendor, c, Rollups.WATERMARK_SQL);
        if (watermark == null || watermark.isBefore(from)) {
            return new Split(from, null, from, to);
        }
        if (!watermark.isBefore(to)) {
            return new Split(from, to, null, to);
        }
        return new Split(from, watermark, watermark.plusDays(1), to);
    }

    public static String rolledUpWhere(@Nullable Long sourceId) {
        return " WHERE " + (sourceId == null ? "" : "source_id = ? AND ") + "day >= ? AND day <= ?";
    }

    public void bindRolledUp(PreparedStatement ps, @Nullable Long sourceId, Split split) throws SQLException {
        int i = 1;
        if (sourceId != null) {
            ps.setLong(i++, sourceId);
        }
        vendor.bindDay(ps, i++, split.from());
        vendor.bindDay(ps, i, split.rolledUpToDay());
    }

    public static String rawWhere(@Nullable Long sourceId) {
        return " WHERE " + (sourceId == null ? "" : "source_id = ? AND ") + "occurred_at >= ? AND occurred_at < ?";
    }

    public void bindRaw(PreparedStatement ps, @Nullable Long sourceId, LocalDate from,
                        LocalDate to) throws SQLException {
        bindRaw(ps, sourceId, Rollups.startOf(from), Rollups.endOf(to));
    }

    /** Binds {@link #rawWhere}: the source when given, then {@code from <= occurred_at < to}. */
    public void bindRaw(PreparedStatement ps, @Nullable Long sourceId, Instant from, Instant to) throws SQLException {
        int i = 1;
        if (sourceId != null) {
            ps.setLong(i++, sourceId);
        }
        vendor.bindTimestamp(ps, i++, from);
        vendor.bindTimestamp(ps, i, to);
    }

    @FunctionalInterface
    public interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    @FunctionalInterface
    public interface Key<K> {
        /** The key of a row, or {@code null} to leave it out. */
        K of(ResultSet row) throws SQLException;
    }

    public static long single(Connection c, String sql, Binder binder) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public void collectDays(PreparedStatement ps, Map<LocalDate, DailyListens> days) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                LocalDate day = vendor.readDay(rs, 1);
                days.put(day, new DailyListens(day, rs.getLong(2), rs.getLong(3), rs.getLong(4)));
            }
        }
    }

    /** Adds each row's count (column 2) to its key's total. */
    public static <K> void collectCounts(PreparedStatement ps, Key<K> key, Map<K, Long> counts) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                K k = key.of(rs);
                if (k != null) {
                    counts.merge(k, rs.getLong(2), Long::sum);
                }
            }
        }
    }
}
