package io.listenlog.jdbc.internal;

import io.listenlog.core.internal.RateLimitedLog;
import io.listenlog.jdbc.AudienceDefinition;
import io.listenlog.jdbc.CountryAudience;
import io.listenlog.jdbc.DailyAudience;
import io.listenlog.jdbc.FileDownloads;
import io.listenlog.jdbc.HourlyAudience;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The audience figures of {@code ListenStats}, inside the caller's snapshot: rolled-up days from
 * {@code listen_audience} where the rollups were made with this definition, the others computed from the raw events
 * with the {@link AudienceCalculator}.
 */
public final class AudienceQueries {
    private static final String AUDIENCE_ROWS_SQL = "SELECT day, hour, plays, sessions, bot_plays, unique_listeners,"
            + " listening_seconds, time_spent_listening, peak_concurrent, average_quarter_hour, average_session"
            + " FROM listen_audience WHERE source_id = ? AND day >= ? AND day <= ?";

    private final Vendor vendor;
    private final StatsQueries queries;
    private final AudienceCalculator calculator;
    private final Duration minimumListen;
    private final Duration maxListenDuration;
    private final RateLimitedLog otherDefinition;

    public AudienceQueries(Vendor vendor, StatsQueries queries, AudienceDefinition audience, Logger log) {
        this.vendor = vendor;
        this.queries = queries;
        this.calculator = new AudienceCalculator(audience);
        this.minimumListen = audience.minimumListen();
        this.maxListenDuration = audience.maxListenDuration();
        this.otherDefinition = new RateLimitedLog(log, Duration.ofMinutes(10));
    }

    /** One figure per day from {@code from} to {@code to}, zeros for days without listens. */
    public List<DailyAudience> days(Connection c, @Nullable Long sourceId, LocalDate from,
                                    LocalDate to) throws SQLException {
        Map<LocalDate, DailyAudience> days = new HashMap<>();
        LocalDate rawFrom = from;
        LocalDate rolledTo = rolledUpAudienceTo(c, from, to);
        if (rolledTo != null) {
            readRolledUpDays(c, sourceId, from, rolledTo, days);
            rawFrom = rolledTo.plusDays(1);
        }
        if (!rawFrom.isAfter(to)) {
            computeDays(listens(c, sourceId, rawFrom, to), rawFrom, to, days);
        }
        List<DailyAudience> result = new ArrayList<>();
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            result.add(days.getOrDefault(day, new DailyAudience(day, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)));
        }
        return result;
    }

    /** The 24 hours of {@code day}. */
    public List<HourlyAudience> hours(Connection c, @Nullable Long sourceId, LocalDate day) throws SQLException {
        List<HourlyAudience> hours = new ArrayList<>(24);
        if (rolledUpAudienceTo(c, day, day) != null) {
            HourlyAudience[] byHour = new HourlyAudience[24];
            try (PreparedStatement ps = c.prepareStatement(AUDIENCE_ROWS_SQL + " AND hour < "
                    + AudienceRollups.WHOLE_DAY)) {
                bindAudienceRows(ps, sourceId, day, day);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int hour = rs.getInt(2);
                        byHour[hour] = new HourlyAudience(hour, rs.getLong(3), rs.getLong(4), rs.getLong(7),
                                rs.getLong(7) / 3_600.0, rs.getLong(6), rs.getDouble(10));
                    }
                }
            }
            for (int hour = 0; hour < 24; hour++) {
                hours.add(byHour[hour] != null ? byHour[hour] : new HourlyAudience(hour, 0, 0, 0, 0, 0, 0));
            }
            return hours;
        }
        List<AudienceCalculator.Figures> figures = calculator.hourly(listens(c, sourceId, day, day), day);
        for (int hour = 0; hour < figures.size(); hour++) {
            AudienceCalculator.Figures f = figures.get(hour);
            hours.add(new HourlyAudience(hour, f.plays(), f.sessions(), f.listeningSeconds(),
                    f.averageActiveSessions(), f.uniqueListeners(), f.averageQuarterHour()));
        }
        return hours;
    }

    /** Cume over the range: exact from raw events, a merge of the days' sketches where days are rolled up. */
    public long uniqueListeners(Connection c, @Nullable Long sourceId, LocalDate from,
                                LocalDate to) throws SQLException {
        LocalDate rolledTo = rolledUpAudienceTo(c, from, to);
        if (rolledTo == null) {
            return calculator.uniqueListeners(listens(c, sourceId, from, to), Rollups.startOf(from),
                    Rollups.endOf(to));
        }
        ListenersSketch sketch = new ListenersSketch();
        try (PreparedStatement ps = c.prepareStatement("SELECT listeners_sketch FROM listen_audience WHERE"
                + " source_id = ? AND day >= ? AND day <= ? AND hour = " + AudienceRollups.WHOLE_DAY)) {
            bindAudienceRows(ps, sourceId, from, rolledTo);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sketch.merge(rs.getBytes(1));
                }
            }
        }
        if (rolledTo.isBefore(to)) {
            LocalDate rawFrom = rolledTo.plusDays(1);
            calculator.activeListeners(listens(c, sourceId, rawFrom, to), Rollups.startOf(rawFrom),
                    Rollups.endOf(to)).forEach(sketch::add);
        }
        return sketch.estimate();
    }

    /**
     * The audience per country over the range, most sessions first: sums of the rolled-up days' country rows and
     * their sketches merged, then the later days from the raw events.
     */
    public List<CountryAudience> countries(Connection c, @Nullable Long sourceId, LocalDate from, LocalDate to)
            throws SQLException {
        Map<String, CountrySum> sums = new HashMap<>();
        LocalDate rawFrom = from;
        LocalDate rolledTo = rolledUpAudienceTo(c, from, to);
        if (rolledTo != null) {
            try (PreparedStatement ps = c.prepareStatement("SELECT country, sessions, listening_seconds,"
                    + " listeners_sketch FROM listen_audience_country WHERE source_id = ? AND day >= ? AND day <= ?")) {
                bindAudienceRows(ps, sourceId, from, rolledTo);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        CountrySum sum = sums.computeIfAbsent(rs.getString(1), k -> new CountrySum());
                        sum.sessions += rs.getLong(2);
                        sum.listeningSeconds += rs.getLong(3);
                        sum.sketch.merge(rs.getBytes(4));
                        sum.estimated = true;
                    }
                }
            }
            rawFrom = rolledTo.plusDays(1);
        }
        if (!rawFrom.isAfter(to)) {
            Map<String, AudienceCalculator.CountryFigures> raw = calculator.byCountry(listens(c, sourceId, rawFrom, to),
                    Rollups.startOf(rawFrom), Rollups.endOf(to));
            for (Map.Entry<String, AudienceCalculator.CountryFigures> country : raw.entrySet()) {
                CountrySum sum = sums.computeIfAbsent(country.getKey(), k -> new CountrySum());
                AudienceCalculator.CountryFigures f = country.getValue();
                sum.sessions += f.sessions();
                sum.listeningSeconds += f.listeningSeconds();
                sum.rawListeners.addAll(f.listeners());
            }
        }
        double rangeSeconds = (ChronoUnit.DAYS.between(from, to) + 1) * 86_400.0;
        List<CountryAudience> countries = new ArrayList<>(sums.size());
        for (Map.Entry<String, CountrySum> country : sums.entrySet()) {
            CountrySum sum = country.getValue();
            countries.add(new CountryAudience(country.getKey(), sum.sessions, sum.uniqueListeners(),
                    sum.listeningSeconds, sum.listeningSeconds / rangeSeconds));
        }
        countries.sort(Comparator.comparingLong(CountryAudience::sessions).reversed()
                .thenComparing(Comparator.comparingLong(CountryAudience::listeningSeconds).reversed())
                .thenComparing(CountryAudience::country));
        return countries;
    }

    /**
     * Downloads per file over the range, most downloads first: the rolled-up days' {@code listen_download} rows,
     * then the later days counted from the raw events.
     */
    public List<FileDownloads> downloads(Connection c, @Nullable Long sourceId, LocalDate from, LocalDate to)
            throws SQLException {
        Map<Map.Entry<Long, String>, long[]> sums = new HashMap<>();
        LocalDate watermark = Rollups.watermark(vendor, c, Rollups.WATERMARK_SQL);
        LocalDate rolledTo = watermark == null || watermark.isBefore(from) ? null
                : watermark.isBefore(to) ? watermark : to;
        if (rolledTo != null) {
            try (PreparedStatement ps = c.prepareStatement("SELECT source_id, file, SUM(downloads), SUM(bot_downloads)"
                    + " FROM listen_download WHERE " + (sourceId == null ? "" : "source_id = ? AND ")
                    + "day >= ? AND day <= ? GROUP BY source_id, " + vendor.exactText("file"))) {
                int i = 1;
                if (sourceId != null) {
                    ps.setLong(i++, sourceId);
                }
                vendor.bindDay(ps, i++, from);
                vendor.bindDay(ps, i, rolledTo);
                addDownloads(ps, sums);
            }
        }
        if (rolledTo == null || rolledTo.isBefore(to)) {
            LocalDate rawFrom = rolledTo == null ? from : rolledTo.plusDays(1);
            try (PreparedStatement ps = c.prepareStatement(AudienceRollups.downloadsPerFileSql(vendor,
                    StatsQueries.rawWhere(sourceId), ""))) {
                queries.bindRaw(ps, sourceId, rawFrom, to);
                addDownloads(ps, sums);
            }
        }
        List<FileDownloads> downloads = new ArrayList<>(sums.size());
        sums.forEach((key, n) -> downloads.add(new FileDownloads(key.getKey(), key.getValue(), n[0], n[1])));
        downloads.sort(Comparator.comparingLong(FileDownloads::downloads).reversed()
                .thenComparing(Comparator.comparingLong(FileDownloads::botDownloads).reversed())
                .thenComparingLong(FileDownloads::sourceId).thenComparing(FileDownloads::file));
        return downloads;
    }

    private static void addDownloads(PreparedStatement ps, Map<Map.Entry<Long, String>, long[]> sums)
            throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long[] n = sums.computeIfAbsent(Map.entry(rs.getLong(1), rs.getString(2)), k -> new long[2]);
                n[0] += rs.getLong(3);
                n[1] += rs.getLong(4);
            }
        }
    }

    /** One country's sums; its listeners exact while no rolled-up day's sketch is merged in. */
    private static final class CountrySum {
        private long sessions;
        private long listeningSeconds;
        private final ListenersSketch sketch = new ListenersSketch();
        private final Set<String> rawListeners = new HashSet<>();
        private boolean estimated;

        long uniqueListeners() {
            if (!estimated) {
                return rawListeners.size();
            }
            rawListeners.forEach(sketch::add);
            return sketch.estimate();
        }
    }

    private void computeDays(List<AudienceCalculator.Listen> listens, LocalDate from, LocalDate to,
                             Map<LocalDate, DailyAudience> days) {
        Map<LocalDate, List<AudienceCalculator.Listen>> byDay = new HashMap<>();
        for (AudienceCalculator.Listen listen : listens) {
            LocalDate first = LocalDate.ofInstant(listen.start(), ZoneOffset.UTC);
            LocalDate last = LocalDate.ofInstant(listen.start().plusSeconds(listen.seconds()), ZoneOffset.UTC);
            for (LocalDate day = first.isBefore(from) ? from : first; !day.isAfter(last) && !day.isAfter(to);
                 day = day.plusDays(1)) {
                byDay.computeIfAbsent(day, d -> new ArrayList<>()).add(listen);
            }
        }
        for (Map.Entry<LocalDate, List<AudienceCalculator.Listen>> entry : byDay.entrySet()) {
            LocalDate day = entry.getKey();
            AudienceCalculator.Figures f = calculator.figures(entry.getValue(), Rollups.startOf(day),
                    Rollups.endOf(day));
            days.put(day, new DailyAudience(day, f.plays(), f.sessions(), f.botPlays(), f.uniqueListeners(),
                    f.listeningSeconds(), f.averageActiveSessions(), f.timeSpentListeningSeconds(),
                    f.peakConcurrentSessions(), f.averageQuarterHour(), f.averageSessionSeconds()));
        }
    }

    /**
     * The last day of {@code from..to} whose audience is read from the rollups: up to the rollup watermark, when
     * they were computed with this {@code minimumListen}; {@code null} when none is.
     */
    private @Nullable LocalDate rolledUpAudienceTo(Connection c, LocalDate from, LocalDate to) throws SQLException {
        LocalDate watermark = Rollups.watermark(vendor, c, Rollups.WATERMARK_SQL);
        if (watermark == null || watermark.isBefore(from)) {
            return null;
        }
        LocalDate rolledTo = watermark.isBefore(to) ? watermark : to;
        long otherMinimum = StatsQueries.single(c, "SELECT COUNT(*) FROM listen_audience WHERE day >= ? AND day <= ?"
                + " AND minimum_listen_seconds <> ?", ps -> {
                    vendor.bindDay(ps, 1, from);
                    vendor.bindDay(ps, 2, rolledTo);
                    ps.setLong(3, minimumListen.getSeconds());
                });
        if (otherMinimum > 0) {
            otherDefinition.warn("listen-log: the rollups of {} to {} were made with another minimumListen than this"
                    + " ListenStats' {}, so they are not used and days whose raw events retention deleted show zeros:"
                    + " give ListenStats and ListenRetention the same AudienceDefinition", from, rolledTo,
                    minimumListen);
            return null;
        }
        return rolledTo;
    }

    private void readRolledUpDays(Connection c, @Nullable Long sourceId, LocalDate from, LocalDate to,
                                  Map<LocalDate, DailyAudience> days) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(AUDIENCE_ROWS_SQL + " AND hour = " + AudienceRollups.WHOLE_DAY)) {
            bindAudienceRows(ps, sourceId, from, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    LocalDate day = vendor.readDay(rs, 1);
                    days.put(day, new DailyAudience(day, rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6),
                            rs.getLong(7), rs.getLong(7) / 86_400.0, rs.getDouble(8), rs.getLong(9), rs.getDouble(10),
                            rs.getDouble(11)));
                }
            }
        }
    }

    private void bindAudienceRows(PreparedStatement ps, @Nullable Long sourceId, LocalDate from, LocalDate to)
            throws SQLException {
        ps.setLong(1, sourceId == null ? 0 : sourceId);
        vendor.bindDay(ps, 2, from);
        vendor.bindDay(ps, 3, to);
    }

    /** The listens that start from {@code maxListenDuration} before {@code from} to the end of {@code to}. */
    private List<AudienceCalculator.Listen> listens(Connection c, @Nullable Long sourceId, LocalDate from, LocalDate to)
            throws SQLException {
        List<AudienceCalculator.Listen> listens = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + AudienceCalculator.Listen.COLUMNS
                + " FROM listen_event" + StatsQueries.rawWhere(sourceId))) {
            queries.bindRaw(ps, sourceId, Rollups.startOf(from).minus(maxListenDuration), Rollups.endOf(to));
            ps.setFetchSize(10_000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    listens.add(calculator.read(vendor, rs, 1));
                }
            }
        }
        return listens;
    }
}
