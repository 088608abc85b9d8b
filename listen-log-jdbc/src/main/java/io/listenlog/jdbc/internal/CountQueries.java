package io.listenlog.jdbc.internal;

import io.listenlog.jdbc.DailyListens;
import io.listenlog.jdbc.SourceListens;
import org.jspecify.annotations.Nullable;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Play counts of a range: from the rollups up to the watermark, from the raw events after it. */
public final class CountQueries {
    private final Vendor vendor;
    private final StatsQueries queries;
    private final Duration maxListenDuration;

    public CountQueries(Vendor vendor, StatsQueries queries, Duration maxListenDuration) {
        this.vendor = vendor;
        this.queries = queries;
        this.maxListenDuration = maxListenDuration;
    }

    public long totalPlays(Connection c, @Nullable Long sourceId, LocalDate from, LocalDate to) throws SQLException {
        StatsQueries.Split split = queries.split(c, from, to);
        long plays = 0;
        if (split.hasRolledUp()) {
            plays += StatsQueries.single(c, "SELECT COALESCE(SUM(plays), 0) FROM listen_daily"
                            + StatsQueries.rolledUpWhere(sourceId),
                    ps -> queries.bindRolledUp(ps, sourceId, split));
        }
        if (split.hasRaw()) {
            plays += StatsQueries.single(c, "SELECT COUNT(*) FROM listen_event" + StatsQueries.rawWhere(sourceId),
                    ps -> queries.bindRaw(ps, sourceId, split.rawFromDay(), split.to()));
        }
        return plays;
    }

    public List<DailyListens> perDay(Connection c, @Nullable Long sourceId, LocalDate from, LocalDate to)
            throws SQLException {
        StatsQueries.Split split = queries.split(c, from, to);
        Map<LocalDate, DailyListens> days = new HashMap<>();
        if (split.hasRolledUp()) {
            String table = sourceId == null ? "listen_daily_total" : "listen_daily";
            try (PreparedStatement ps = c.prepareStatement("SELECT day, plays, unique_listeners, "
                    + "total_duration_seconds FROM " + table + StatsQueries.rolledUpWhere(sourceId))) {
                queries.bindRolledUp(ps, sourceId, split);
                queries.collectDays(ps, days);
            }
        }
        if (split.hasRaw()) {
            String day = vendor.utcDayOf("occurred_at");
            try (PreparedStatement ps = c.prepareStatement("SELECT " + day + ", COUNT(*), COUNT(DISTINCT ip), "
                    + "COALESCE(SUM(duration_seconds), 0) FROM listen_event" + StatsQueries.rawWhere(sourceId)
                    + " GROUP BY " + day)) {
                queries.bindRaw(ps, sourceId, split.rawFromDay(), split.to());
                queries.collectDays(ps, days);
            }
        }
        List<DailyListens> result = new ArrayList<>();
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            result.add(days.getOrDefault(day, new DailyListens(day, 0, 0, 0)));
        }
        return result;
    }

    public List<SourceListens> topSources(Connection c, LocalDate from, LocalDate to, int limit) throws SQLException {
        StatsQueries.Split split = queries.split(c, from, to);
        Map<Long, Long> plays = new HashMap<>();
        if (split.hasRolledUp()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT source_id, SUM(plays) FROM listen_daily"
                    + StatsQueries.rolledUpWhere(null) + " GROUP BY source_id")) {
                queries.bindRolledUp(ps, null, split);
                StatsQueries.collectCounts(ps, rs -> rs.getLong(1), plays);
            }
        }
        if (split.hasRaw()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT source_id, COUNT(*) FROM listen_event"
                    + StatsQueries.rawWhere(null) + " GROUP BY source_id")) {
                queries.bindRaw(ps, null, split.rawFromDay(), split.to());
                StatsQueries.collectCounts(ps, rs -> rs.getLong(1), plays);
            }
        }
        return plays.entrySet().stream()
                .map(e -> new SourceListens(e.getKey(), e.getValue()))
                .sorted(Comparator.comparingLong(SourceListens::plays).reversed()
                        .thenComparingLong(SourceListens::sourceId))
                .limit(limit)
                .toList();
    }

    public long activeSessions(Connection c, @Nullable Long sourceId, Instant at) throws SQLException {
        Instant heardSince = at.minusSeconds(60);
        long active = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT occurred_at, duration_seconds, client_class"
                + " FROM listen_event" + StatsQueries.rawWhere(sourceId)
                + " AND (client_class IS NULL OR client_class <> 'bot')")) {
            queries.bindRaw(ps, sourceId, at.minus(maxListenDuration), at.plusNanos(1_000));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!vendor.readTimestamp(rs, 1).plusSeconds(rs.getLong(2)).isBefore(heardSince)) {
                        active++;
                    }
                }
            }
        }
        return active;
    }
}
