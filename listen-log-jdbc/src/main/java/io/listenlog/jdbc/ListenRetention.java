package io.listenlog.jdbc;

import io.listenlog.core.DailyKeyStore;
import io.listenlog.core.ListenStoreException;
import io.listenlog.core.PrivacyPreset;
import io.listenlog.jdbc.internal.AudienceRollups;
import io.listenlog.jdbc.internal.PostgresPartitions;
import io.listenlog.jdbc.internal.Rollups;
import io.listenlog.jdbc.internal.Schema;
import io.listenlog.jdbc.internal.SqlFailures;
import io.listenlog.jdbc.internal.Transactions;
import io.listenlog.jdbc.internal.Vendor;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Rolls complete UTC days of {@code listen_event} up into {@code listen_daily} and {@code listen_daily_total}, then
 * deletes the events whose listens ended before the retention period, so that {@link ListenStats} keeps answering for
 * old days after their raw rows are gone. A listen that began before the cutoff and reaches past it is kept until it
 * has ended before it (at most the audience's {@code maxListenDuration} longer), because a repair of the first day
 * kept needs the sessions that reach into it. {@code radio_source.listen_count} is never touched.
 *
 * <p>Each day is rolled up in its own transaction, which also advances the watermark
 * {@code listen_rollup_state.rolled_up_through} under a lock of its row: a crash loses nothing, a rerun continues
 * where the last run stopped, and runs of several app instances at once never count a day twice. Events are deleted
 * in batches of {@link Builder#deleteBatchSize(int)} rows, one short transaction each, and only up to the end of the
 * last rolled-up day.
 *
 * <p>Thread-safe; holds no connection between runs.
 */
public final class ListenRetention {

    private static final Logger LOG = LoggerFactory.getLogger(ListenRetention.class);

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
    private final Duration retention;
    private final int deleteBatchSize;
    private final Clock clock;
    private final Duration rollupDelay;
    private final @Nullable DailyKeyStore dailyKeys;
    private final @Nullable Duration keyGrace;
    private final String earliestDaySql;
    private final AudienceRollups audience;
    /** A listen that reaches into a day a repair may roll up again is kept, for that repair. */
    private final Duration lookback;

    private ListenRetention(Builder b, Vendor vendor) {
        this.dataSource = b.dataSource;
        this.vendor = vendor;
        this.retention = b.retention;
        this.deleteBatchSize = b.deleteBatchSize;
        this.clock = b.clock;
        this.rollupDelay = b.rollupDelay;
        this.dailyKeys = b.dailyKeys;
        this.keyGrace = b.keyGrace;
        this.audience = new AudienceRollups(vendor, b.audience);
        this.lookback = b.audience.maxListenDuration();
        // Jumps over days without events, so that one event of year 1 does not cost a transaction per day since.
        this.earliestDaySql = "SELECT " + vendor.utcDayOf("occurred_at")
                + " FROM listen_event WHERE occurred_at >= ? ORDER BY occurred_at LIMIT 1";
    }

    /** A builder for retention over the listen-log tables behind {@code dataSource}. */
    public static Builder builder(DataSource dataSource) {
        return new Builder(Objects.requireNonNull(dataSource, "dataSource"));
    }

    /**
     * Rolls up every complete UTC day (one that ended at least {@code rollupDelay} ago) that is not rolled up yet,
     * oldest first, then deletes the events whose listens ended before the retention period and whose day is rolled
     * up. Running it again right away does nothing.
     *
     * @throws ListenDataAccessException if a statement failed; what was committed before stays, and the next run resumes
     *                               from there. When the rollup fails, the deletion of days already rolled up still
     *                               runs first.
     */
    public RetentionResult runOnce() {
        Instant now = clock.instant();
        Run run = new Run();
        SQLException failure = null;
        try {
            rollUp(run, LocalDate.ofInstant(now.minus(rollupDelay), ZoneOffset.UTC));
            repairChangedDays(run, now.minus(retention));
        } catch (SQLException e) {
            failure = e;
        }
        try {
            purge(run, now, now.minus(retention));
        } catch (SQLException e) {
            failure = joined(failure, e);
        }
        RuntimeException keysFailure = null;
        if (dailyKeys != null) {
            try {
                dailyKeys.destroyBefore(LocalDate.ofInstant(now, ZoneOffset.UTC)
                        .minusDays(Objects.requireNonNull(keyGrace, "keyGrace").toDays()));
            } catch (RuntimeException e) {
                keysFailure = e;
            }
        }
        if (failure != null) {
            SqlFailures.Classification classified = SqlFailures.classify(vendor, failure);
            ListenDataAccessException thrown = new ListenDataAccessException("listen-log retention failed on "
                    + vendor + " after rolling up " + run.daysRolledUp + " day(s) and deleting " + run.eventsDeleted
                    + " event(s); the next run resumes from there: " + classified.describe(), failure,
                    classified.kind() == SqlFailures.Kind.TRANSIENT);
            if (keysFailure != null) {
                thrown.addSuppressed(keysFailure);
            }
            throw thrown;
        }
        if (keysFailure != null) {
            // The key store's own exception says what failed; it is not an SQLException to classify.
            throw new ListenDataAccessException("listen-log retention rolled up " + run.daysRolledUp + " day(s) and"
                    + " deleted " + run.eventsDeleted + " event(s), but destroying old anonymizer keys failed: "
                    + keysFailure.getMessage(), keysFailure,
                    !(keysFailure instanceof ListenStoreException rejected) || rejected.isTransient());
        }
        return new RetentionResult(run.daysRolledUp, run.eventsDeleted);
    }

    private static SQLException joined(@Nullable SQLException first, SQLException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    /**
     * Runs {@link #runOnce()} on {@code executor} right away and then {@code interval} after each run ends. A failed
     * run is logged at WARN and the next one retries; it never cancels the schedule. Cancel the returned future, or
     * shut the executor down, to stop.
     *
     * @throws IllegalArgumentException if {@code interval} is not positive
     */
    public ScheduledFuture<?> schedule(ScheduledExecutorService executor, Duration interval) {
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive, got " + interval);
        }
        return executor.scheduleWithFixedDelay(() -> runLogged(interval), 0, interval.toNanos(),
                TimeUnit.NANOSECONDS);
    }

    private void runLogged(Duration interval) {
        try {
            RetentionResult result = runOnce();
            LOG.debug("listen-log retention rolled up {} day(s) and deleted {} event(s)",
                    result.daysRolledUp(), result.eventsDeleted());
        } catch (RuntimeException e) {
            // The message only: a driver exception's own text, further down the chain, may quote row values.
            LOG.warn("listen-log retention failed; retrying in {}: {}", interval, e.toString());
        }
    }

    private void rollUp(Run run, LocalDate today) throws SQLException {
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
     * by moving the watermark past them: one event of year 1000 does not cost a transaction per day since.
     *
     * @return how many complete days the watermark moved over; 0 when there was none
     */
    private int rollUpNextDay(Connection c, LocalDate today) throws SQLException {
        LocalDate watermark = watermark(c, vendor.lockingRead(Rollups.WATERMARK_SQL));
        LocalDate after = watermark != null ? watermark.plusDays(1) : null;
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
     * when its day was rolled up), or events deleted (a deletion request). A day's signature per source (events,
     * highest id, listening time) finds them, so a late play and a deleted play on the same day are found too. The
     * next day is rolled up again with it, as the changed sessions may reach into it.
     */
    private void repairChangedDays(Run run, Instant cutoff) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            LocalDate watermark = watermark(connection, Rollups.WATERMARK_SQL);
            if (watermark == null) {
                return;
            }
            LocalDate firstComplete = LocalDate.ofInstant(cutoff, ZoneOffset.UTC).plusDays(1);
            if (firstComplete.isAfter(watermark)) {
                return;
            }
            SortedSet<LocalDate> changed = audience.changedDays(connection, firstComplete, watermark);
            SortedSet<LocalDate> rewrite = new TreeSet<>();
            for (LocalDate day : changed) {
                rewrite.add(day);
                if (day.isBefore(watermark)) {
                    rewrite.add(day.plusDays(1));
                }
            }
            for (LocalDate day : rewrite) {
                Transactions.inTransactionDo(connection, c -> {
                    watermark(c, vendor.lockingRead(Rollups.WATERMARK_SQL));
                    for (String table : new String[] {"listen_daily", "listen_daily_total"}) {
                        try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + table + " WHERE day = ?")) {
                            vendor.bindDay(delete, 1, day);
                            delete.executeUpdate();
                        }
                    }
                    writeDay(c, day);
                    audience.rewrite(c, day);
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

    private @Nullable LocalDate watermark(Connection c, String sql) throws SQLException {
        return Rollups.watermark(vendor, c, sql);
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

    private void purge(Run run, Instant now, Instant cutoff) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            boolean partitioned = vendor.partitionedByMonth();
            SQLException notCreated = null;
            if (partitioned) {
                for (YearMonth month : PostgresPartitions.missingAhead(connection, now)) {
                    try {
                        Transactions.inTransaction(connection, c -> PostgresPartitions.create(c, month));
                    } catch (SQLException e) {
                        notCreated = joined(notCreated, e);  // the rest of the run goes on; reported once it is done
                    }
                }
            }
            LocalDate watermark = watermark(connection, Rollups.WATERMARK_SQL);
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

    @Override
    public String toString() {
        return "ListenRetention[" + vendor + ", retention " + retention + ", deleteBatchSize " + deleteBatchSize + "]";
    }

    /** Progress of one run, kept when it fails midway for the message. */
    private static final class Run {
        int daysRolledUp;
        long eventsDeleted;
    }

    /** Configures a {@link ListenRetention}; not thread-safe. */
    public static final class Builder {
        private final DataSource dataSource;
        /** 25 months of at most 31 days would exceed 25 months; 25 × 30.4 days do not. */
        private static final int CNIL_MAX_RETENTION_DAYS = 760;
        private Duration retention = Duration.ofDays(90);
        private @Nullable PrivacyPreset privacyPreset;
        private AudienceDefinition audience = AudienceDefinition.DEFAULT;
        private int deleteBatchSize = 5_000;
        private Clock clock = Clock.systemUTC();
        private Duration rollupDelay = Duration.ofHours(1);
        private @Nullable DailyKeyStore dailyKeys;
        private @Nullable Duration keyGrace;

        private Builder(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        /**
         * Makes every run destroy the daily anonymizer keys older than {@code keyGrace} (whole days, 0 to 30; the
         * anonymizer's own default is 1 day) in {@code keys}, usually the {@link JdbcDailyKeyStore} of
         * {@code IpAnonymizer.dailyRotating}: key destruction is this scheduled job's work, never the anonymizer's.
         */
        public Builder destroyDailyKeys(DailyKeyStore keys, Duration keyGrace) {
            Objects.requireNonNull(keys, "keys");
            Objects.requireNonNull(keyGrace, "keyGrace");
            if (keyGrace.isNegative() || keyGrace.toDays() > 30) {
                throw new IllegalArgumentException("keyGrace must be between 0 and 30 days, got " + keyGrace);
            }
            this.dailyKeys = keys;
            this.keyGrace = keyGrace;
            return this;
        }

        /**
         * How long raw events are kept; default 90 days. Older ones are deleted once their day is rolled up.
         *
         * @throws IllegalArgumentException if shorter than one day
         */
        public Builder retention(Duration retention) {
            Objects.requireNonNull(retention, "retention");
            if (retention.compareTo(Duration.ofDays(1)) < 0) {
                throw new IllegalArgumentException("retention must be at least 1 day, so that a day is rolled up "
                        + "before its events are deleted; got " + retention);
            }
            this.retention = retention;
            return this;
        }

        /**
         * The most events one delete statement (one transaction) removes; default 5000.
         *
         * @throws IllegalArgumentException if less than 1
         */
        public Builder deleteBatchSize(int deleteBatchSize) {
            if (deleteBatchSize < 1) {
                throw new IllegalArgumentException("deleteBatchSize must be at least 1, got " + deleteBatchSize);
            }
            this.deleteBatchSize = deleteBatchSize;
            return this;
        }

        /**
         * How long after the end of a UTC day it is rolled up; default 1 hour. Events still in a logger's queue or
         * retry loop at midnight are written within this time and so counted in the day's roll-up; an event that
         * arrives later for an already rolled-up day is kept in {@code listen_event} and {@code listen_count} but
         * missing from the roll-up.
         *
         * @throws IllegalArgumentException if negative or longer than one day
         */
        public Builder rollupDelay(Duration rollupDelay) {
            Objects.requireNonNull(rollupDelay, "rollupDelay");
            if (rollupDelay.isNegative() || rollupDelay.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException("rollupDelay must be between 0 and 1 day, got " + rollupDelay);
            }
            this.rollupDelay = rollupDelay;
            return this;
        }

        /** What "now" is: which days are complete and where the retention period ends; default system UTC. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Who counts in the rolled-up audience figures: give {@link ListenStats} the same definition, as it reads
         * rolled-up days only when they were made with its own. Default {@link AudienceDefinition#DEFAULT}.
         */
        public Builder audience(AudienceDefinition audience) {
            this.audience = Objects.requireNonNull(audience, "audience");
            return this;
        }

        /**
         * The shortest listen the audience rollups count as a session; default 1 minute. The same as
         * {@code audience(definition.withMinimumListen(minimumListen))}.
         */
        public Builder minimumListen(Duration minimumListen) {
            this.audience = audience.withMinimumListen(minimumListen);
            return this;
        }

        /**
         * The longest a listen lasts in the rolled-up figures, the logger's {@code maxListenDuration}; default 24 h.
         * The same as {@code audience(definition.withMaxListenDuration(maxListenDuration))}.
         */
        public Builder maxListenDuration(Duration maxListenDuration) {
            this.audience = audience.withMaxListenDuration(maxListenDuration);
            return this;
        }

        /**
         * Applies a privacy preset: {@link PrivacyPreset#CNIL_AUDIENCE_MEASUREMENT} keeps raw events at most 25
         * months, so {@link #build()} refuses a {@code retention} longer than 760 days.
         */
        public Builder privacyPreset(PrivacyPreset privacyPreset) {
            this.privacyPreset = privacyPreset;
            return this;
        }

        /**
         * Opens one connection to detect the database and to check that the V7_4 migration ran, and checks the
         * settings against the privacy preset.
         *
         * @throws IllegalArgumentException if the database is not SQLite, PostgreSQL, MariaDB or MySQL
         * @throws IllegalStateException    if no connection could be opened, the schema is missing, or the retention
         *                                  is longer than the privacy preset allows
         */
        public ListenRetention build() {
            if (privacyPreset == PrivacyPreset.CNIL_AUDIENCE_MEASUREMENT
                    && retention.compareTo(Duration.ofDays(CNIL_MAX_RETENTION_DAYS)) > 0) {
                throw new IllegalStateException("the CNIL_AUDIENCE_MEASUREMENT preset keeps raw events at most 25"
                        + " months: set retention to at most " + CNIL_MAX_RETENTION_DAYS + " days, not "
                        + retention.toDays() + " days");
            }
            Vendor vendor = Schema.detectAndRequire(dataSource, "listen_audience", "listeners_sketch", "V7_4");
            return new ListenRetention(this, vendor);
        }
    }
}
