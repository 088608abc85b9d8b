package io.listenlog.jdbc.internal;

import io.listenlog.jdbc.AudienceDefinition;
import io.listenlog.jdbc.FileDownloads;
import org.jspecify.annotations.Nullable;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes the {@code listen_audience} rows of a day (the day and its 24 hours, per source and for all sources) and its
 * {@code listen_audience_country} and {@code listen_download} rows from the raw events, and, once after the migration
 * V7_7, finds the days whose events changed since the signatures earlier versions kept.
 */
public final class AudienceRollups {
    /** The {@code hour} of a row that holds the whole day. */
    public static final int WHOLE_DAY = 24;

    private static final String INSERT_SQL = "INSERT INTO listen_audience (source_id, day, hour, minimum_listen_seconds,"
            + " plays, sessions, bot_plays, unique_listeners, listening_seconds, time_spent_listening, peak_concurrent,"
            + " average_quarter_hour, average_session, listeners_sketch) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static final String COUNTRY_INSERT_SQL = "INSERT INTO listen_audience_country (source_id, day, country,"
            + " sessions, unique_listeners, listening_seconds, listeners_sketch) VALUES (?, ?, ?, ?, ?, ?, ?)";

    /**
     * Downloads per source and file of the raw events that {@code where} selects: source id, file, people's
     * downloads (listens not classified as bots, as the audience counts them), bots' downloads, then
     * {@code moreColumns}.
     */
    public static String downloadsPerFileSql(Vendor vendor, String where, String moreColumns) {
        String file = vendor.exactText(vendor.jsonText("extra", FileDownloads.EXTRA_KEY));
        return "SELECT source_id, " + file + ", SUM(CASE WHEN client_class = 'bot' THEN 0 ELSE 1 END),"
                + " SUM(CASE WHEN client_class = 'bot' THEN 1 ELSE 0 END)" + moreColumns + " FROM listen_event" + where
                + " AND " + file + " IS NOT NULL GROUP BY source_id, " + file;
    }

    private final Vendor vendor;
    private final long minimumSeconds;
    /** How far before a day sessions that reach into it are looked for. */
    private final Duration lookback;
    private final AudienceCalculator calculator;

    public AudienceRollups(Vendor vendor, AudienceDefinition audience) {
        this.vendor = vendor;
        this.minimumSeconds = audience.minimumListen().getSeconds();
        this.lookback = audience.maxListenDuration();
        this.calculator = new AudienceCalculator(audience);
    }

    /** Replaces the audience rows and signatures of {@code day}, in the caller's transaction. */
    public void rewrite(Connection c, LocalDate day) throws SQLException {
        Instant start = Rollups.startOf(day);
        Instant end = Rollups.endOf(day);
        Map<Long, List<AudienceCalculator.Listen>> bySource = new TreeMap<>();
        List<AudienceCalculator.Listen> all = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT source_id, " + AudienceCalculator.Listen.COLUMNS
                + " FROM listen_event WHERE occurred_at >= ? AND occurred_at < ?")) {
            vendor.bindTimestamp(ps, 1, start.minus(lookback));
            vendor.bindTimestamp(ps, 2, end);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    AudienceCalculator.Listen listen = calculator.read(vendor, rs, 2);
                    bySource.computeIfAbsent(rs.getLong(1), id -> new ArrayList<>()).add(listen);
                    all.add(listen);
                }
            }
        }
        for (String table : new String[] {"listen_audience", "listen_audience_country", "listen_download"}) {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + table + " WHERE day = ?")) {
                vendor.bindDay(delete, 1, day);
                delete.executeUpdate();
            }
        }
        if (!all.isEmpty()) {
            bySource.put(0L, all);
            try (PreparedStatement insert = c.prepareStatement(INSERT_SQL)) {
                for (Map.Entry<Long, List<AudienceCalculator.Listen>> source : bySource.entrySet()) {
                    addRows(insert, source.getKey(), day, source.getValue());
                }
                insert.executeBatch();
            }
            try (PreparedStatement insert = c.prepareStatement(COUNTRY_INSERT_SQL)) {
                for (Map.Entry<Long, List<AudienceCalculator.Listen>> source : bySource.entrySet()) {
                    addCountryRows(insert, source.getKey(), day, source.getValue());
                }
                insert.executeBatch();
            }
        }
        try (PreparedStatement downloads = c.prepareStatement("INSERT INTO listen_download (source_id, file, downloads,"
                + " bot_downloads, day) " + downloadsPerFileSql(vendor, StatsQueries.rawWhere(null), ", ?"))) {
            vendor.bindDay(downloads, 1, day);
            vendor.bindTimestamp(downloads, 2, start);
            vendor.bindTimestamp(downloads, 3, end);
            downloads.executeUpdate();
        }
    }

    private void addRows(PreparedStatement insert, long sourceId, LocalDate day, List<AudienceCalculator.Listen> listens)
            throws SQLException {
        Instant start = Rollups.startOf(day);
        ListenersSketch sketch = new ListenersSketch();
        calculator.activeListeners(listens, start, Rollups.endOf(day)).forEach(sketch::add);
        add(insert, sourceId, day, WHOLE_DAY, calculator.figures(listens, start, Rollups.endOf(day)), sketch.toBytes());
        List<AudienceCalculator.Figures> hours = calculator.hourly(listens, day);
        for (int hour = 0; hour < hours.size(); hour++) {
            add(insert, sourceId, day, hour, hours.get(hour), null);
        }
    }

    private void addCountryRows(PreparedStatement insert, long sourceId, LocalDate day,
                                List<AudienceCalculator.Listen> listens) throws SQLException {
        for (Map.Entry<String, AudienceCalculator.CountryFigures> country
                : calculator.byCountry(listens, Rollups.startOf(day), Rollups.endOf(day)).entrySet()) {
            AudienceCalculator.CountryFigures f = country.getValue();
            ListenersSketch sketch = new ListenersSketch();
            f.listeners().forEach(sketch::add);
            insert.setLong(1, sourceId);
            vendor.bindDay(insert, 2, day);
            insert.setString(3, country.getKey());
            insert.setLong(4, f.sessions());
            insert.setLong(5, f.listeners().size());
            insert.setLong(6, f.listeningSeconds());
            insert.setBytes(7, sketch.toBytes());
            insert.addBatch();
        }
    }

    private void add(PreparedStatement insert, long sourceId, LocalDate day, int hour, AudienceCalculator.Figures f,
                     byte @Nullable [] sketch) throws SQLException {
        insert.setLong(1, sourceId);
        vendor.bindDay(insert, 2, day);
        insert.setInt(3, hour);
        insert.setLong(4, minimumSeconds);
        insert.setLong(5, f.plays());
        insert.setLong(6, f.sessions());
        insert.setLong(7, f.botPlays());
        insert.setLong(8, f.uniqueListeners());
        insert.setLong(9, f.listeningSeconds());
        insert.setDouble(10, f.timeSpentListeningSeconds());
        insert.setLong(11, f.peakConcurrentSessions());
        insert.setDouble(12, f.averageQuarterHour());
        insert.setDouble(13, f.averageSessionSeconds());
        insert.setBytes(14, sketch);
        insert.addBatch();
    }

    /** Whether days rolled up before the migration V7_7 still have signatures, which the first run after it compares. */
    public boolean hasSignatures(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM listen_day_signature LIMIT 1");
             ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    /** Deletes the signatures, once compared: since V7_7 the store marks the days it changes instead. */
    public void forgetSignatures(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM listen_day_signature")) {
            ps.executeUpdate();
        }
    }

    /**
     * The days from {@code from} to {@code to} whose events differ from the signature an earlier version kept
     * (events written late, listening time updated late, or events deleted), whose listeners sketch has the legacy
     * format, which cannot be merged with today's, or that were rolled up before the audience per country was: what
     * changed before the migration V7_7, found once by reading the kept events.
     */
    public SortedSet<LocalDate> changedSinceSignatures(Connection c, LocalDate from, LocalDate to) throws SQLException {
        Map<String, List<Long>> now = new HashMap<>();
        String dayOf = vendor.utcDayOf("occurred_at");
        try (PreparedStatement ps = c.prepareStatement("SELECT source_id, " + dayOf + ", COUNT(*), MAX(id),"
                + " COALESCE(SUM(duration_seconds), 0) FROM listen_event WHERE occurred_at >= ? AND occurred_at < ?"
                + " GROUP BY source_id, " + dayOf)) {
            vendor.bindTimestamp(ps, 1, Rollups.startOf(from));
            vendor.bindTimestamp(ps, 2, Rollups.endOf(to));
            collect(ps, now);
        }
        Map<String, List<Long>> stored = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT source_id, day, events, max_id, duration_sum"
                + " FROM listen_day_signature WHERE day >= ? AND day <= ?")) {
            vendor.bindDay(ps, 1, from);
            vendor.bindDay(ps, 2, to);
            collect(ps, stored);
        }
        SortedSet<LocalDate> changed = new TreeSet<>();
        // Days rolled up before V7_5 have no country rows (a day with sessions always has one).
        for (String sql : new String[] {"SELECT DISTINCT day FROM listen_audience WHERE day >= ? AND day <= ?"
                + " AND hour = " + WHOLE_DAY + " AND LENGTH(listeners_sketch) = " + LegacyHyperLogLog.BYTES,
                "SELECT day FROM listen_audience a WHERE day >= ? AND day <= ? AND hour = " + WHOLE_DAY
                + " AND source_id = 0 AND sessions > 0 AND NOT EXISTS (SELECT 1 FROM listen_audience_country c"
                + " WHERE c.day = a.day AND c.source_id = 0)"}) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                vendor.bindDay(ps, 1, from);
                vendor.bindDay(ps, 2, to);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        changed.add(vendor.readDay(rs, 1));
                    }
                }
            }
        }
        for (String key : union(now, stored)) {
            if (!Objects.equals(now.get(key), stored.get(key))) {
                changed.add(LocalDate.parse(key.substring(key.indexOf(' ') + 1)));
            }
        }
        return changed;
    }

    private void collect(PreparedStatement ps, Map<String, List<Long>> into) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                into.put(rs.getLong(1) + " " + vendor.readDay(rs, 2), List.of(rs.getLong(3), rs.getLong(4), rs.getLong(5)));
            }
        }
    }

    private static SortedSet<String> union(Map<String, ?> a, Map<String, ?> b) {
        SortedSet<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys;
    }
}
