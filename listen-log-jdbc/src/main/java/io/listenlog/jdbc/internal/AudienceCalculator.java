package io.listenlog.jdbc.internal;

import io.listenlog.jdbc.AudienceDefinition;
import io.listenlog.jdbc.CountryAudience;

import org.jspecify.annotations.Nullable;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The audience figures of one period from the listens that overlap it, as docs/metrics.md defines them. Times are
 * kept to the microsecond, as the databases store them; seconds are rounded at the end.
 */
public final class AudienceCalculator {
    private static final long MICROS = 1_000_000L;
    private static final long QUARTER_HOUR_MICROS = 15 * 60 * MICROS;
    private static final long HOUR_MICROS = 60 * 60 * MICROS;
    private static final long QUARTER_HOUR_QUALIFIES_MICROS = 5 * 60 * MICROS;

    /**
     * One stored listen.
     *
     * @param start    {@code occurred_at}
     * @param seconds  {@code duration_seconds}, 0 when unknown
     * @param listener the listener identity the listen was stored with ({@code listener}, or the anonymized address
     *                 where that is empty), or {@code null}
     * @param bot      {@code client_class = 'bot'}
     * @param country  the stored country, or {@code null}
     */
    public record Listen(Instant start, long seconds, @Nullable String listener, boolean bot,
                         @Nullable String country) {
        /** The {@code listen_event} columns {@link #read} takes, in its order. */
        public static final String COLUMNS = "occurred_at, duration_seconds, COALESCE(listener, ip), client_class,"
                + " country";

    }

    /** The figures of a period; see {@code DailyAudience} for their meaning. */
    public record Figures(long plays, long sessions, long botPlays, long uniqueListeners, long listeningSeconds,
                          double averageActiveSessions, double timeSpentListeningSeconds, long peakConcurrentSessions,
                          double averageQuarterHour, double averageSessionSeconds) {
    }

    private final long minimumSeconds;
    private final long maxSeconds;

    public AudienceCalculator(AudienceDefinition audience) {
        this.minimumSeconds = audience.minimumListen().getSeconds();
        this.maxSeconds = audience.maxListenDuration().getSeconds();
    }

    /**
     * The listen in the {@link Listen#COLUMNS} of {@code row} from {@code column} on, its duration cut to the
     * definition's {@code maxListenDuration}, so that no listen reaches further than the lookback finds it.
     */
    public Listen read(Vendor vendor, ResultSet row, int column) throws SQLException {
        return new Listen(vendor.readTimestamp(row, column), Math.min(row.getLong(column + 1), maxSeconds),
                row.getString(column + 2), "bot".equals(row.getString(column + 3)), row.getString(column + 4));
    }

    /** Whether {@code listen} is a session: a person's listen of at least the minimum length. */
    public boolean isSession(Listen listen) {
        return !listen.bot() && listen.seconds() >= minimumSeconds;
    }

    /** The figures of {@code [from, to)}, a whole number of quarter-hours, from listens that include all overlapping it. */
    public Figures figures(Collection<Listen> listens, Instant from, Instant to) {
        long fromMicros = micros(from);
        long toMicros = micros(to);
        long plays = 0;
        long botPlays = 0;
        long sessions = 0;
        long startedSessionMicros = 0;
        long listeningMicros = 0;
        long identifiedMicros = 0;
        Set<String> listeners = new HashSet<>();
        List<long[]> intervals = new ArrayList<>();
        int quarterHours = (int) ((toMicros - fromMicros) / QUARTER_HOUR_MICROS);
        // Per quarter-hour, each listener's session time in it, intervals kept so that overlapping sessions of one
        // listener count once.
        List<Map<String, List<long[]>>> perQuarterHour = new ArrayList<>(quarterHours);
        for (int q = 0; q < quarterHours; q++) {
            perQuarterHour.add(new HashMap<>());
        }
        for (Listen listen : listens) {
            long start = micros(listen.start());
            long end = start + listen.seconds() * MICROS;
            boolean startsHere = start >= fromMicros && start < toMicros;
            if (startsHere) {
                plays++;
                if (listen.bot()) {
                    botPlays++;
                }
            }
            if (!isSession(listen)) {
                continue;
            }
            if (startsHere) {
                sessions++;
                startedSessionMicros += end - start;
            }
            long overlapStart = Math.max(start, fromMicros);
            long overlapEnd = Math.min(end, toMicros);
            if (!isActive(start, end, fromMicros, toMicros)) {
                continue;
            }
            long overlap = Math.max(0, overlapEnd - overlapStart);
            listeningMicros += overlap;
            if (overlap > 0) {
                intervals.add(new long[] {overlapStart, overlapEnd});
            }
            String listener = listen.listener();
            if (listener == null) {
                continue;
            }
            listeners.add(listener);
            identifiedMicros += overlap;
            for (long q = Math.max(0, (overlapStart - fromMicros) / QUARTER_HOUR_MICROS);
                 q < quarterHours && fromMicros + q * QUARTER_HOUR_MICROS < overlapEnd; q++) {
                long qStart = fromMicros + q * QUARTER_HOUR_MICROS;
                long inQuarter = Math.min(overlapEnd, qStart + QUARTER_HOUR_MICROS) - Math.max(overlapStart, qStart);
                if (inQuarter > 0) {
                    perQuarterHour.get((int) q).computeIfAbsent(listener, l -> new ArrayList<>())
                            .add(new long[] {Math.max(overlapStart, qStart),
                                    Math.min(overlapEnd, qStart + QUARTER_HOUR_MICROS)});
                }
            }
        }
        long qualifying = 0;
        for (Map<String, List<long[]>> quarter : perQuarterHour) {
            qualifying += quarter.values().stream().filter(i -> union(i) >= QUARTER_HOUR_QUALIFIES_MICROS).count();
        }
        double periodSeconds = (toMicros - fromMicros) / (double) MICROS;
        return new Figures(plays, sessions, botPlays, listeners.size(), seconds(listeningMicros),
                listeningMicros / (double) MICROS / periodSeconds,
                listeners.isEmpty() ? 0 : identifiedMicros / (double) MICROS / listeners.size(),
                peak(intervals),
                quarterHours == 0 ? 0 : qualifying / (double) quarterHours,
                sessions == 0 ? 0 : startedSessionMicros / (double) MICROS / sessions);
    }

    /** What {@link #byCountry} counts of one country: the additive figures and the listeners themselves. */
    public static final class CountryFigures {
        private long sessions;
        private long listeningMicros;
        private final Set<String> listeners = new HashSet<>();

        public long sessions() {
            return sessions;
        }

        public long listeningSeconds() {
            return seconds(listeningMicros);
        }

        public Set<String> listeners() {
            return listeners;
        }
    }

    /**
     * Sessions, session time and listeners of {@code [from, to)} per country ({@code ZZ} for listens without one),
     * by the rules of {@link #figures}, in one pass.
     */
    public Map<String, CountryFigures> byCountry(Collection<Listen> listens, Instant from, Instant to) {
        long fromMicros = micros(from);
        long toMicros = micros(to);
        Map<String, CountryFigures> countries = new HashMap<>();
        for (Listen listen : listens) {
            if (!isSession(listen)) {
                continue;
            }
            long start = micros(listen.start());
            long end = start + listen.seconds() * MICROS;
            if (!isActive(start, end, fromMicros, toMicros)) {
                continue;
            }
            boolean startsHere = start >= fromMicros;
            String country = listen.country();
            CountryFigures figures = countries.computeIfAbsent(country == null ? CountryAudience.UNKNOWN : country,
                    c -> new CountryFigures());
            if (startsHere) {
                figures.sessions++;
            }
            figures.listeningMicros += Math.max(0, Math.min(end, toMicros) - Math.max(start, fromMicros));
            String listener = listen.listener();
            if (listener != null) {
                figures.listeners.add(listener);
            }
        }
        return countries;
    }

    /**
     * The figures of each of the 24 hours of {@code day} (UTC), hour 0 first. Each listen is handed to the hours it
     * starts or is active in, so that an hour's figures read only its own listens instead of all of the day's.
     */
    public List<Figures> hourly(Collection<Listen> listens, LocalDate day) {
        Instant start = Rollups.startOf(day);
        long dayMicros = micros(start);
        List<List<Listen>> byHour = new ArrayList<>(24);
        for (int hour = 0; hour < 24; hour++) {
            byHour.add(new ArrayList<>());
        }
        for (Listen listen : listens) {
            long listenStart = micros(listen.start());
            long listenEnd = listenStart + listen.seconds() * MICROS;
            // Active in [from, to): starts before to and ends after from, or starts in it (isActive).
            int first = listenStart >= dayMicros ? (int) Math.min(24, (listenStart - dayMicros) / HOUR_MICROS) : 0;
            int last = listenEnd > dayMicros ? (int) Math.min(23, (listenEnd - dayMicros - 1) / HOUR_MICROS) : -1;
            if (listenStart >= dayMicros) {
                last = Math.max(last, first);
            }
            for (int hour = first; hour <= last && hour < 24; hour++) {
                byHour.get(hour).add(listen);
            }
        }
        List<Figures> hours = new ArrayList<>(24);
        for (int hour = 0; hour < 24; hour++) {
            Instant from = start.plus(Duration.ofHours(hour));
            hours.add(figures(byHour.get(hour), from, from.plus(Duration.ofHours(1))));
        }
        return hours;
    }

    /** Distinct listeners with a session active in {@code [from, to)}. */
    public long uniqueListeners(Collection<Listen> listens, Instant from, Instant to) {
        return activeListeners(listens, from, to).size();
    }

    /** The listeners with a session active in {@code [from, to)}. */
    public Set<String> activeListeners(Collection<Listen> listens, Instant from, Instant to) {
        long fromMicros = micros(from);
        long toMicros = micros(to);
        Set<String> listeners = new HashSet<>();
        for (Listen listen : listens) {
            long start = micros(listen.start());
            long end = start + listen.seconds() * MICROS;
            String listener = listen.listener();
            if (isSession(listen) && listener != null && isActive(start, end, fromMicros, toMicros)) {
                listeners.add(listener);
            }
        }
        return listeners;
    }

    /** Whether a listen of {@code [start, end)} is active in {@code [from, to)}: overlaps it, or starts in it. */
    private static boolean isActive(long start, long end, long from, long to) {
        return start < to && (end > from || start >= from);
    }

    /** The length of the union of {@code intervals}. */
    private static long union(List<long[]> intervals) {
        intervals.sort((a, b) -> Long.compare(a[0], b[0]));
        long total = 0;
        long coveredTo = Long.MIN_VALUE;
        for (long[] interval : intervals) {
            long from = Math.max(interval[0], coveredTo);
            if (interval[1] > from) {
                total += interval[1] - from;
                coveredTo = interval[1];
            }
        }
        return total;
    }

    /** The most intervals open at one instant; an interval ending where another starts does not overlap it. */
    private static long peak(List<long[]> intervals) {
        long[] edges = new long[intervals.size() * 2];
        int i = 0;
        for (long[] interval : intervals) {
            edges[i++] = interval[0] * 2 + 1;  // starts sort after ends at the same instant
            edges[i++] = interval[1] * 2;
        }
        Arrays.sort(edges);
        long open = 0;
        long peak = 0;
        for (long edge : edges) {
            open += (edge & 1) == 1 ? 1 : -1;
            peak = Math.max(peak, open);
        }
        return peak;
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * MICROS + instant.getNano() / 1_000;
    }

    private static long seconds(long micros) {
        return (micros + MICROS / 2) / MICROS;
    }
}
