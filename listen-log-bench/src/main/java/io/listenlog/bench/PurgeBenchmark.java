package io.listenlog.bench;

import io.listenlog.jdbc.ListenRetention;
import io.listenlog.jdbc.RetentionResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

/**
 * How long {@link ListenRetention} takes to purge one month of raw events on PostgreSQL: by batched {@code DELETE}
 * on the default schema, or by dropping the month's partition on the partitioned one. Each measurement is one run on
 * a fresh schema loaded with {@code rows} events spread over January 2026 and already rolled up (outside the measured
 * time), whose run then finds January past retention.
 *
 * {@code java -jar benchmarks.jar PurgeBenchmark} with {@code LISTENLOG_TEST_POSTGRES_URL}; about 5 minutes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(1)
public class PurgeBenchmark {
    private static final Instant IN_JANUARY = Instant.parse("2026-01-15T00:00:00Z");
    private static final Instant JANUARY_ROLLED_UP = Instant.parse("2026-02-02T12:00:00Z");
    private static final Instant JANUARY_PAST_RETENTION = Instant.parse("2026-05-10T00:00:00Z");

    @Param({"delete", "drop-partition"})
    public String design;

    @Param({"5000000"})
    public int rows;

    private BenchDatabase db;
    private ListenRetention purge;

    @Setup(Level.Iteration)
    public void loadAMonth() throws Exception {
        boolean partitioned = design.equals("drop-partition");
        db = BenchDatabase.postgres(2, partitioned);
        retentionAt(IN_JANUARY).runOnce();  // creates January's partition on the partitioned schema
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            double secondsApart = 31 * 86_400.0 / rows;
            s.execute("INSERT INTO listen_event (source_id, occurred_at, ip, user_agent, listen_id)"
                    + " SELECT 1 + g % " + BenchDatabase.SOURCES + ", TIMESTAMPTZ '2026-01-01 00:00:00+00'"
                    + " + g * INTERVAL '" + secondsApart + " seconds', 'h' || (g % 200000), 'VLC/3.0.20 LibVLC/3.0.20',"
                    + " gen_random_uuid() FROM generate_series(0, " + (rows - 1) + ") g");
            s.execute("ANALYZE listen_event");
        }
        RetentionResult rolledUp = retentionAt(JANUARY_ROLLED_UP).runOnce();
        if (rolledUp.eventsDeleted() != 0) {
            throw new IllegalStateException("nothing should be past retention yet: " + rolledUp);
        }
        purge = retentionAt(JANUARY_PAST_RETENTION);
    }

    private ListenRetention retentionAt(Instant now) {
        return ListenRetention.builder(db.dataSource()).retention(Duration.ofDays(90))
                .clock(Clock.fixed(now, ZoneOffset.UTC)).build();
    }

    @Benchmark
    public RetentionResult purgeJanuary() {
        RetentionResult result = purge.runOnce();
        if (result.eventsDeleted() != rows) {
            throw new IllegalStateException("purged " + result.eventsDeleted() + " of " + rows + " events");
        }
        return result;
    }

    @TearDown(Level.Iteration)
    public void dropSchema() {
        db.close();
    }
}
