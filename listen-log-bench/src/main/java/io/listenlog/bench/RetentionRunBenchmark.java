package io.listenlog.bench;

import io.listenlog.core.ClientInfo;
import io.listenlog.core.ListenEvent;
import io.listenlog.jdbc.JdbcListenStore;
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
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * How long one {@link ListenRetention#runOnce()} takes over 90 kept days of {@code events} listens, all rolled up:
 * <ul>
 *   <li>{@code change=none}: nothing changed since the last run;</li>
 *   <li>{@code change=signatures}: nothing changed either, but the run compares a signature of every kept day's events
 *   with the stored one, which is what every run did before the marks of V7_7 (today only the first run after the
 *   upgrade does it): the cost the marks remove;</li>
 *   <li>{@code change=late-1000}: 1,000 late listens spread over 30 of the kept days were written through the store
 *   since the last run, which the run rolls up again with the day after each.</li>
 * </ul>
 * The events are written once per database and size through {@link JdbcListenStore}; they are then declared rolled up
 * by moving the watermark to their last day and settling their marks, without rollup rows (rolling up 10 million
 * listens would take the trial minutes and change nothing of what is measured), and analyzed. The retention is ten
 * years, so the purge finds nothing. {@code -p database=sqlite,postgresql,mariadb}, URLs from {@code LISTENLOG_TEST_POSTGRES_URL}
 * and {@code LISTENLOG_TEST_MARIADB_URL}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
// One JVM per database and size, so that its events are written once for the three changes, not once per fork.
@Fork(0)
public class RetentionRunBenchmark {
    private static final LocalDate FIRST = LocalDate.of(2026, 1, 1);
    private static final int DAYS = 90;
    private static final Instant NOW = FIRST.plusDays(DAYS).atStartOfDay(ZoneOffset.UTC).toInstant()
            .plus(Duration.ofHours(2));

    @Param({"postgresql"})
    public String database;

    @Param({"1000000"})
    public int events;

    @Param({"none", "signatures", "late-1000"})
    public String change;

    private BenchDatabase db;
    private ListenRetention retention;
    private JdbcListenStore store;
    private final Random random = new Random(11);
    private RetentionResult last;

    @Setup(Level.Trial)
    public void load() throws Exception {
        db = BenchDatabase.loadedOnce(database + events, this::loadAsRolledUp);
        store = JdbcListenStore.create(db.dataSource());
        retention = ListenRetention.builder(db.dataSource()).retention(Duration.ofDays(3650))
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
        RetentionResult settled = retention.runOnce();
        System.out.printf("%n%s, %d events: a first run settled %s%n", database, events, settled);
    }

    private BenchDatabase loadAsRolledUp() throws Exception {
        BenchDatabase loading = BenchDatabase.named(database, 4);
        long began = System.nanoTime();
        JdbcListenStore writer = JdbcListenStore.create(loading.dataSource());
        long span = Duration.ofDays(DAYS).getSeconds();
        Instant start = FIRST.atStartOfDay(ZoneOffset.UTC).toInstant();
        ClientInfo person = new ClientInfo(false, "VLC media player", "Other Computer");
        List<ListenEvent> batch = new ArrayList<>(10_000);
        for (int i = 0; i < events; i++) {
            batch.add(new ListenEvent(UUID.randomUUID(), 1 + random.nextInt(BenchDatabase.SOURCES),
                    start.plusSeconds((long) (random.nextDouble() * span)), "listener-" + random.nextInt(200_000),
                    "ua", null, random.nextInt(7_200), null, person));
            if (batch.size() == 10_000) {
                writer.write(batch);
                batch = new ArrayList<>(10_000);
            }
        }
        if (!batch.isEmpty()) {
            writer.write(batch);
        }
        try (Connection c = loading.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM listen_day_change");
            try (PreparedStatement watermark = c.prepareStatement(
                    "UPDATE listen_rollup_state SET rolled_up_through = ? WHERE id = 1")) {
                bindDay(watermark, FIRST.plusDays(DAYS - 1));
                watermark.executeUpdate();
            }
            // As autovacuum would have by now: without statistics PostgreSQL plans the purge's empty range as a scan.
            s.execute(database.equals("mariadb") ? "ANALYZE TABLE listen_event" : "ANALYZE");
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
        System.out.printf("%n%s: wrote %d listens over %d days in %d s%n", database, events, DAYS,
                (System.nanoTime() - began) / 1_000_000_000);
        return loading;
    }

    private void bindDay(PreparedStatement ps, LocalDate day) throws SQLException {
        if (database.equals("sqlite")) {
            ps.setString(1, day.toString());
        } else {
            ps.setObject(1, day);
        }
    }

    @Setup(Level.Invocation)
    public void change() throws SQLException {
        switch (change) {
            case "none" -> { }
            case "signatures" -> storeSignatures();
            case "late-1000" -> writeLateListens();
            default -> throw new IllegalArgumentException("change must be none, signatures or late-1000");
        }
    }

    /** The signatures of every kept day, equal to their events: the comparison finds nothing to repair. */
    private void storeSignatures() throws SQLException {
        String day = switch (database) {
            case "sqlite" -> "substr(occurred_at, 1, 10)";
            case "postgresql" -> "CAST(occurred_at AT TIME ZONE 'UTC' AS DATE)";
            default -> "CAST(occurred_at AS DATE)";
        };
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO listen_day_signature (source_id, day, events, max_id, duration_sum)"
                    + " SELECT source_id, " + day + ", COUNT(*), MAX(id), COALESCE(SUM(duration_seconds), 0)"
                    + " FROM listen_event GROUP BY source_id, " + day);
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
    }

    private void writeLateListens() {
        List<LocalDate> days = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            days.add(FIRST.plusDays(i * 3L));
        }
        List<ListenEvent> late = new ArrayList<>(1_000);
        for (int i = 0; i < 1_000; i++) {
            late.add(new ListenEvent(UUID.randomUUID(), 1 + random.nextInt(BenchDatabase.SOURCES),
                    days.get(i % days.size()).atStartOfDay(ZoneOffset.UTC).toInstant()
                            .plusSeconds(random.nextInt(86_400)), "late-" + i, "ua", null, 60, null, null));
        }
        store.write(late);
    }

    @Benchmark
    public RetentionResult runOnce() {
        last = retention.runOnce();
        return last;
    }

    @TearDown(Level.Iteration)
    public void report() {
        System.out.printf("%n%s, %d events, %s: the run did %s%n", database, events, change, last);
    }
}
