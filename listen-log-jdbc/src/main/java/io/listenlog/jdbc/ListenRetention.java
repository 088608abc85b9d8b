package io.listenlog.jdbc;

import io.listenlog.core.DailyKeyStore;
import io.listenlog.core.ListenStoreException;
import io.listenlog.core.PrivacyPreset;
import io.listenlog.jdbc.internal.AudienceRollups;
import io.listenlog.jdbc.internal.DayRollups;
import io.listenlog.jdbc.internal.EventPurge;
import io.listenlog.jdbc.internal.RetentionRun;
import io.listenlog.jdbc.internal.Schema;
import io.listenlog.jdbc.internal.SqlFailures;
import io.listenlog.jdbc.internal.Vendor;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;
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

    private final Vendor vendor;
    private final Duration retention;
    private final int deleteBatchSize;
    private final Clock clock;
    private final Duration rollupDelay;
    private final @Nullable DailyKeyStore dailyKeys;
    private final @Nullable Duration keyGrace;
    private final DayRollups rollups;
    private final EventPurge purge;

    private ListenRetention(Builder b, Vendor vendor) {
        this.vendor = vendor;
        this.retention = b.retention;
        this.deleteBatchSize = b.deleteBatchSize;
        this.clock = b.clock;
        this.rollupDelay = b.rollupDelay;
        this.dailyKeys = b.dailyKeys;
        this.keyGrace = b.keyGrace;
        this.rollups = new DayRollups(b.dataSource, vendor, new AudienceRollups(vendor, b.audience));
        this.purge = new EventPurge(b.dataSource, vendor, b.deleteBatchSize, b.audience.maxListenDuration());
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
        RetentionRun run = new RetentionRun();
        SQLException failure = null;
        try {
            rollups.rollUp(run, LocalDate.ofInstant(now.minus(rollupDelay), ZoneOffset.UTC));
            rollups.repairChangedDays(run, now.minus(retention));
        } catch (SQLException e) {
            failure = e;
        }
        try {
            purge.purge(run, now, now.minus(retention));
        } catch (SQLException e) {
            failure = RetentionRun.joined(failure, e);
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

    @Override
    public String toString() {
        return "ListenRetention[" + vendor + ", retention " + retention + ", deleteBatchSize " + deleteBatchSize + "]";
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
         * Opens one connection to detect the database and to check that the V7_7 migration ran, and checks the
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
            Vendor vendor = Schema.detectAndRequire(dataSource, "listen_day_change", "version", "V7_7");
            return new ListenRetention(this, vendor);
        }
    }
}
