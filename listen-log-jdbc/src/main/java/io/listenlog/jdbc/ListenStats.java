package io.listenlog.jdbc;

import io.listenlog.jdbc.internal.AudienceQueries;
import io.listenlog.jdbc.internal.CountQueries;
import io.listenlog.jdbc.internal.Methodology;
import io.listenlog.jdbc.internal.Rollups;
import io.listenlog.jdbc.internal.Schema;
import io.listenlog.jdbc.internal.SqlFailures;
import io.listenlog.jdbc.internal.StatsQueries;
import io.listenlog.jdbc.internal.Transactions;
import io.listenlog.jdbc.internal.Vendor;

import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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

    /** The longest range {@link #audience}, {@link #uniqueListeners} and the top lists read at once. */
    public static final int MAX_RANGE_DAYS = 400;

    private final DataSource dataSource;
    private final Vendor vendor;
    private final AudienceDefinition audience;
    private final Duration maxListenDuration;
    private final StatsQueries queries;
    private final CountQueries counts;
    private final AudienceQueries audienceQueries;

    private ListenStats(Builder b, Vendor vendor) {
        this.dataSource = b.dataSource;
        this.vendor = vendor;
        this.audience = b.audience;
        this.maxListenDuration = b.audience.maxListenDuration();
        this.queries = new StatsQueries(vendor);
        this.counts = new CountQueries(vendor, queries, maxListenDuration);
        this.audienceQueries = new AudienceQueries(vendor, queries, b.audience,
                LoggerFactory.getLogger(ListenStats.class));
    }

    /** The definition of the audience these figures use. */
    public AudienceDefinition audienceDefinition() {
        return audience;
    }

    /**
     * Statistics over the listen-log tables behind {@code dataSource} with the default settings
     * ({@code ListenStats.builder(dataSource).build()}).
     *
     * @throws IllegalArgumentException if the database is not SQLite, PostgreSQL, MariaDB or MySQL
     * @throws IllegalStateException    if no connection could be opened, or the schema is missing
     */
    public static ListenStats create(DataSource dataSource) {
        return builder(dataSource).build();
    }

    /** A builder for statistics over the listen-log tables behind {@code dataSource}. */
    public static Builder builder(DataSource dataSource) {
        return new Builder(Objects.requireNonNull(dataSource, "dataSource"));
    }

    /**
     * Listens of {@code sourceId} (or all sources) from {@code from} to {@code to}.
     *
     * @throws IllegalArgumentException if {@code from} is after {@code to}, or {@code sourceId} is not positive
     */
    public long totalPlays(@Nullable Long sourceId, LocalDate from, LocalDate to) {
        requireRange(sourceId, from, to);
        return read("total plays", c -> counts.totalPlays(c, sourceId, from, to));
    }

    /**
     * One element per day from {@code from} to {@code to}, in order, days without listens included as zeros. For all
     * sources, unique listeners are the distinct addresses across sources that day, not a sum per source.
     *
     * @throws IllegalArgumentException if {@code from} is after {@code to}, or {@code sourceId} is not positive
     */
    public List<DailyListens> perDay(@Nullable Long sourceId, LocalDate from, LocalDate to) {
        requireRange(sourceId, from, to);
        return read("listens per day", c -> counts.perDay(c, sourceId, from, to));
    }

    /**
     * The {@code limit} most frequent referrer hosts (lowercased) of {@code sourceId} (or all sources), most plays
     * first, ties by host. Listens without a referrer, or with one that is not a URL with a host, are left out. Covers
     * the events retention still keeps.
     *
     * @throws IllegalArgumentException if {@code from} is after {@code to}, {@code sourceId} is not positive or
     *                                  {@code limit} is less than 1
     */
    public List<CountedValue> topReferrerHosts(@Nullable Long sourceId, LocalDate from, LocalDate to, int limit) {
        return topValues("referrer", ReferrerHosts::hostOf, "", sourceId, from, to, limit);
    }

    /**
     * The {@code limit} most frequent user agents of {@code sourceId} (or all sources), most plays first, ties by
     * user agent. Listens without one are left out. Covers the events retention still keeps.
     *
     * @throws IllegalArgumentException if {@code from} is after {@code to}, {@code sourceId} is not positive or
     *                                  {@code limit} is less than 1
     */
    public List<CountedValue> topUserAgents(@Nullable Long sourceId, LocalDate from, LocalDate to, int limit) {
        return topValues("user_agent", UnaryOperator.identity(), "", sourceId, from, to, limit);
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
        return read("top sources", c -> counts.topSources(c, from, to, limit));
    }

    /**
     * The last UTC day {@link ListenRetention} has rolled up, or {@code null} before its first run: plays, unique
     * addresses and audience figures up to this day survive the deletion of raw events.
     */
    public @Nullable LocalDate rolledUpThrough() {
        return read("the rollup watermark",
                c -> Optional.ofNullable(Rollups.watermark(vendor, c, Rollups.WATERMARK_SQL))).orElse(null);
    }

    /**
     * A description of methodology for these figures, in English, as a station publishes it beside them (the IAB asks
     * measurers to disclose theirs): what a listen, a bot and a session are, and how each figure is computed, with
     * this instance's session minimum. {@code retention} is how long raw listens are kept and {@code dailyKeys}
     * whether addresses are hashed under keys that rotate every UTC day; the host knows both.
     */
    public String methodology(Duration retention, boolean dailyKeys) {
        return Methodology.text(audience.minimumListen(), Objects.requireNonNull(retention, "retention"), dailyKeys,
                null);
    }

    /**
     * {@link #methodology(Duration, boolean)} of a logger that locates listeners: it also names the country database
     * and its date, as the logger's {@code GeoLookup.database()} gives them.
     */
    public String methodology(Duration retention, boolean dailyKeys, String countryDatabase) {
        return Methodology.text(audience.minimumListen(), Objects.requireNonNull(retention, "retention"), dailyKeys,
                Objects.requireNonNull(countryDatabase, "countryDatabase"));
    }

    /**
     * Listeners right now: listens by people (bots left out) heard from in the minute before {@code at}, that is
     * started by {@code at} and, by their start and the listening time reported so far, still playing a minute before
     * it. Read from the raw events.
     *
     * @throws IllegalArgumentException if {@code sourceId} is not positive
     */
    public long activeSessions(@Nullable Long sourceId, Instant at) {
        Objects.requireNonNull(at, "at");
        requireSource(sourceId);
        return read("active sessions", c -> counts.activeSessions(c, sourceId, at));
    }

    /** {@link #totalPlays(Long, LocalDate, LocalDate)} of one source. */
    public long totalPlays(long sourceId, LocalDate from, LocalDate to) {
        return totalPlays(Long.valueOf(sourceId), from, to);
    }

    /** {@link #perDay(Long, LocalDate, LocalDate)} of one source. */
    public List<DailyListens> perDay(long sourceId, LocalDate from, LocalDate to) {
        return perDay(Long.valueOf(sourceId), from, to);
    }

    /** {@link #topReferrerHosts(Long, LocalDate, LocalDate, int)} of one source. */
    public List<CountedValue> topReferrerHosts(long sourceId, LocalDate from, LocalDate to, int limit) {
        return topReferrerHosts(Long.valueOf(sourceId), from, to, limit);
    }

    /** {@link #topUserAgents(Long, LocalDate, LocalDate, int)} of one source. */
    public List<CountedValue> topUserAgents(long sourceId, LocalDate from, LocalDate to, int limit) {
        return topUserAgents(Long.valueOf(sourceId), from, to, limit);
    }

    /**
     * One {@link DailyAudience} per UTC day from {@code from} to {@code to}, in order, days without listens as
     * zeros: plays and sessions, bots, unique listeners, listening time, average active sessions, time spent
     * listening, peak concurrent sessions and average quarter-hour, as docs/metrics.md defines them. A session is a
     * listen by a client that is not a bot lasting at least {@link Builder#minimumListen}. Days up to
     * {@link #rolledUpThrough()} are read from the rollups {@link ListenRetention} wrote (when it used the same
     * minimum), so they survive the deletion of raw events; later days are computed from the events. A listen
     * lasts at most the definition's {@code maxListenDuration}, so each day includes the sessions that started up to
     * that long before it: a day's figures are the same whether it is asked alone or within a range.
     *
     * @throws IllegalArgumentException if {@code from} is after {@code to}, the range is longer than
     *                                  {@value #MAX_RANGE_DAYS} days, or {@code sourceId} is not positive
     */
    public List<DailyAudience> audience(@Nullable Long sourceId, LocalDate from, LocalDate to) {
        requireAudienceRange(sourceId, from, to);
        return read("the audience", c -> audienceQueries.days(c, sourceId, from, to));
    }

    /** {@link #audience(Long, LocalDate, LocalDate)} of one source. */
    public List<DailyAudience> audience(long sourceId, LocalDate from, LocalDate to) {
        return audience(Long.valueOf(sourceId), from, to);
    }

    /**
     * The 24 {@link HourlyAudience}s of the UTC day {@code day}, hour 0 first, with the definitions of
     * {@link #audience}.
     *
     * @throws IllegalArgumentException if {@code sourceId} is not positive
     */
    public List<HourlyAudience> hourly(@Nullable Long sourceId, LocalDate day) {
        requireAudienceRange(sourceId, day, day);
        return read("the hourly audience", c -> audienceQueries.hours(c, sourceId, day));
    }

    /** {@link #hourly(Long, LocalDate)} of one source. */
    public List<HourlyAudience> hourly(long sourceId, LocalDate day) {
        return hourly(Long.valueOf(sourceId), day);
    }

    /**
     * Cume over the whole range: distinct listeners (anonymized addresses) with at least one session active from
     * {@code from} to {@code to}. Not the sum of the days: a listener of several days counts once. Exact when no day
     * of the range is rolled up; otherwise the rolled-up days' HyperLogLog sketches (Apache DataSketches) are merged
     * with the later days' listeners: exact up to a few hundred listeners, above that an estimate with a relative
     * standard error of 1.3%. Under daily
     * rotating anonymization keys one person has another hash each day, so a range counts a person once per day.
     *
     * @throws IllegalArgumentException as {@link #audience}
     */
    public long uniqueListeners(@Nullable Long sourceId, LocalDate from, LocalDate to) {
        requireAudienceRange(sourceId, from, to);
        return read("unique listeners", c -> audienceQueries.uniqueListeners(c, sourceId, from, to));
    }

    /** {@link #uniqueListeners(Long, LocalDate, LocalDate)} of one source. */
    public long uniqueListeners(long sourceId, LocalDate from, LocalDate to) {
        return uniqueListeners(Long.valueOf(sourceId), from, to);
    }

    /**
     * The audience per country from {@code from} to {@code to}: sessions, unique listeners, listening time and
     * average active sessions of the listens the logger's {@code GeoLookup} located in each country
     * ({@link CountryAudience#UNKNOWN} for the others), most sessions first. With the definitions of
     * {@link #audience}; rolled-up days are read from their rollups, so the figures survive the deletion of raw
     * events, and unique listeners over them are an estimate as in {@link #uniqueListeners}. A listener seen in two
     * countries counts in both.
     *
     * @throws IllegalArgumentException as {@link #audience}
     */
    public List<CountryAudience> countries(@Nullable Long sourceId, LocalDate from, LocalDate to) {
        requireAudienceRange(sourceId, from, to);
        return read("the audience by country", c -> audienceQueries.countries(c, sourceId, from, to));
    }

    /** {@link #countries(Long, LocalDate, LocalDate)} of one source. */
    public List<CountryAudience> countries(long sourceId, LocalDate from, LocalDate to) {
        return countries(Long.valueOf(sourceId), from, to);
    }

    /**
     * Downloads per file from {@code from} to {@code to}: the listens whose {@code extra} names a file under
     * {@value FileDownloads#EXTRA_KEY}, as {@code ListenLogFilter}'s download prefix logs them (an IAB download: one
     * per listener, file and UTC day once a minute of audio was served), people's and bots' apart, most downloads by
     * people first, then by source and file. Rolled-up days are read from their rollups, so the counts survive the
     * deletion of raw events.
     *
     * @throws IllegalArgumentException as {@link #audience}
     */
    public List<FileDownloads> downloads(@Nullable Long sourceId, LocalDate from, LocalDate to) {
        requireAudienceRange(sourceId, from, to);
        return read("downloads per file", c -> audienceQueries.downloads(c, sourceId, from, to));
    }

    /** {@link #downloads(Long, LocalDate, LocalDate)} of one source. */
    public List<FileDownloads> downloads(long sourceId, LocalDate from, LocalDate to) {
        return downloads(Long.valueOf(sourceId), from, to);
    }

    /**
     * The {@code limit} apps, players and browsers ({@code client_app}) with the most plays by people (bots left out)
     * that started from {@code from} to {@code to}, most first, ties by name. Unclassified and unknown apps are left
     * out. Covers the events retention still keeps.
     *
     * @throws IllegalArgumentException as {@link #audience}, or if {@code limit} is less than 1
     */
    public List<CountedValue> topClients(@Nullable Long sourceId, LocalDate from, LocalDate to, int limit) {
        return topPeopleBy("client_app", sourceId, from, to, limit);
    }

    /** {@link #topClients(Long, LocalDate, LocalDate, int)} of one source. */
    public List<CountedValue> topClients(long sourceId, LocalDate from, LocalDate to, int limit) {
        return topClients(Long.valueOf(sourceId), from, to, limit);
    }

    /** As {@link #topClients}, by device or platform family ({@code client_platform}). */
    public List<CountedValue> topPlatforms(@Nullable Long sourceId, LocalDate from, LocalDate to, int limit) {
        return topPeopleBy("client_platform", sourceId, from, to, limit);
    }

    /** {@link #topPlatforms(Long, LocalDate, LocalDate, int)} of one source. */
    public List<CountedValue> topPlatforms(long sourceId, LocalDate from, LocalDate to, int limit) {
        return topPlatforms(Long.valueOf(sourceId), from, to, limit);
    }

    private List<CountedValue> topPeopleBy(String column, @Nullable Long sourceId, LocalDate from, LocalDate to,
                                           int limit) {
        requireAudienceRange(sourceId, from, to);
        return topValues(column, UnaryOperator.identity(), " AND (client_class IS NULL OR client_class <> 'bot')",
                sourceId, from, to, limit);
    }

    private static void requireAudienceRange(@Nullable Long sourceId, LocalDate from, LocalDate to) {
        requireRange(sourceId, from, to);
        if (ChronoUnit.DAYS.between(from, to) >= MAX_RANGE_DAYS) {
            throw new IllegalArgumentException("the range " + from + ".." + to + " is longer than " + MAX_RANGE_DAYS
                    + " days; ask for it in parts");
        }
    }

    /**
     * The {@code limit} most frequent values of {@code column} among the raw events that match {@code condition},
     * most plays first, ties by value: grouped in SQL by the stored text, ranked in Java, so the order is the same on
     * every database, whatever its collation.
     */
    private List<CountedValue> topValues(String column, UnaryOperator<String> valueOf, String condition,
                                         @Nullable Long sourceId, LocalDate from, LocalDate to, int limit) {
        requireRange(sourceId, from, to);
        requireLimit(limit);
        return read("top " + column + " values", c -> {
            String exact = vendor.exactText(column);
            Map<String, Long> plays = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + exact + ", COUNT(*) FROM listen_event"
                    + StatsQueries.rawWhere(sourceId) + " AND " + column + " IS NOT NULL" + condition + " GROUP BY "
                    + exact)) {
                queries.bindRaw(ps, sourceId, from, to);
                StatsQueries.collectCounts(ps, rs -> valueOf.apply(rs.getString(1)), plays);
            }
            return plays.entrySet().stream()
                    .map(e -> new CountedValue(e.getKey(), e.getValue()))
                    .sorted(MOST_PLAYED)
                    .limit(limit)
                    .toList();
        });
    }

    /**
     * One snapshot per query, so a concurrent retention run cannot move a day between the rollups and the events.
     *
     * @throws ListenDataAccessException when the database could not be read
     */
    private <T> T read(String what, Transactions.Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return Transactions.inSnapshot(connection, vendor.snapshotIsolation(), work);
        } catch (SQLException e) {
            SqlFailures.Classification failure = SqlFailures.classify(vendor, e);
            throw new ListenDataAccessException("listen-log could not read " + what + " from " + vendor + ": "
                    + failure.describe(), e, failure.kind() == SqlFailures.Kind.TRANSIENT);
        }
    }

    private static void requireRange(@Nullable Long sourceId, LocalDate from, LocalDate to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("from (" + from + ") must not be after to (" + to + ")");
        }
        requireSource(sourceId);
    }

    private static void requireSource(@Nullable Long sourceId) {
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
        return "ListenStats[" + vendor + ", " + audience + "]";
    }

    /** Configures {@link ListenStats}; every setting has a default. */
    public static final class Builder {
        private final DataSource dataSource;
        private AudienceDefinition audience = AudienceDefinition.DEFAULT;

        private Builder(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        /**
         * Who counts in the figures; give {@link ListenRetention} the same, so that rolled-up days are used. Default
         * {@link AudienceDefinition#DEFAULT}.
         */
        public Builder audience(AudienceDefinition audience) {
            this.audience = Objects.requireNonNull(audience, "audience");
            return this;
        }

        /**
         * The shortest listen that counts as a session; default 1 minute, as the live-streaming standard counts
         * sessions. {@link Duration#ZERO} counts every play by a person, its duration known or not. Whole seconds.
         * The same as {@code audience(definition.withMinimumListen(minimumListen))}.
         */
        public Builder minimumListen(Duration minimumListen) {
            this.audience = audience.withMinimumListen(minimumListen);
            return this;
        }

        /**
         * The longest a listen lasts in the figures, the logger's {@code maxListenDuration}; default 24 h. A day's
         * figures include the sessions that started up to this long before it. The same as
         * {@code audience(definition.withMaxListenDuration(maxListenDuration))}.
         */
        public Builder maxListenDuration(Duration maxListenDuration) {
            this.audience = audience.withMaxListenDuration(maxListenDuration);
            return this;
        }

        /**
         * Opens one connection to detect the database and to check that the V7_6 migration ran.
         *
         * @throws IllegalArgumentException if the database is not SQLite, PostgreSQL, MariaDB or MySQL
         * @throws IllegalStateException    if no connection could be opened, or the schema is missing
         */
        public ListenStats build() {
            Vendor vendor = Schema.detectAndRequire(dataSource, "listen_download", "bot_downloads", "V7_6");
            return new ListenStats(this, vendor);
        }
    }
}
