package io.listenlog.bench;

import io.listenlog.core.ClientInfo;
import io.listenlog.core.ListenEvent;
import io.listenlog.jdbc.DailyAudience;
import io.listenlog.jdbc.HourlyAudience;
import io.listenlog.jdbc.JdbcListenStore;
import io.listenlog.jdbc.ListenRetention;
import io.listenlog.jdbc.ListenStats;
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
import org.openjdk.jmh.annotations.Warmup;

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
 * How long {@link ListenStats#audience} (90 days, all sources) and {@link ListenStats#hourly} (one day) take over 90
 * days of one million listens: read from the rollups {@link ListenRetention} wrote ({@code rolled-up}), or computed
 * from the raw events ({@code raw}: a {@code ListenStats} whose session minimum differs from the rollups', 61 s, so it
 * computes every day itself). Loading and rolling up happen once per trial, outside the measured time.
 *
 * {@code -p database=sqlite,postgresql,mariadb}; the servers' URLs come from {@code LISTENLOG_TEST_POSTGRES_URL} and
 * {@code LISTENLOG_TEST_MARIADB_URL}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
// One JVM for all four queries of a database, so its million listens are loaded and rolled up once (a fork would load
// them again for each): these are database reads of milliseconds to seconds, for which the harness JVM is fine.
@Fork(0)
public class AudienceBenchmark {
    private static final LocalDate FIRST = LocalDate.of(2026, 1, 1);
    private static final int DAYS = 90;

    @Param({"sqlite"})
    public String database;

    @Param({"1000000"})
    public int listens;

    private ListenStats rolledUp;
    private ListenStats raw;

    @Setup(Level.Trial)
    public void load() throws Exception {
        BenchDatabase db = BenchDatabase.loadedOnce(database + listens, this::loadAndRollUp);
        rolledUp = ListenStats.create(db.dataSource());
        raw = ListenStats.builder(db.dataSource()).minimumListen(Duration.ofSeconds(61)).build();
    }

    private BenchDatabase loadAndRollUp() throws Exception {
        BenchDatabase db = BenchDatabase.named(database, 4);
        JdbcListenStore store = JdbcListenStore.create(db.dataSource());
        Random random = new Random(7);
        long span = Duration.ofDays(DAYS).getSeconds();
        Instant start = FIRST.atStartOfDay(ZoneOffset.UTC).toInstant();
        List<ListenEvent> batch = new ArrayList<>(5_000);
        ClientInfo person = new ClientInfo(false, "VLC media player", "Other Computer");
        ClientInfo bot = new ClientInfo(true, "Googlebot", null);
        for (int i = 0; i < listens; i++) {
            batch.add(new ListenEvent(UUID.randomUUID(), 1 + random.nextInt(BenchDatabase.SOURCES),
                    start.plusSeconds((long) (random.nextDouble() * span)), "listener-" + random.nextInt(200_000),
                    "ua", null, random.nextInt(10) == 0 ? null : random.nextInt(7_200), null,
                    random.nextInt(12) == 0 ? bot : person));
            if (batch.size() == 5_000) {
                store.write(batch);
                batch = new ArrayList<>(5_000);
            }
        }
        if (!batch.isEmpty()) {
            store.write(batch);
        }
        long began = System.nanoTime();
        ListenRetention.builder(db.dataSource()).retention(Duration.ofDays(3650))
                .clock(Clock.fixed(FIRST.plusDays(DAYS + 1).atStartOfDay(ZoneOffset.UTC).toInstant(), ZoneOffset.UTC))
                .build().runOnce();
        System.out.printf("%s: rolled up %d days of %d listens in %d ms%n", database, DAYS, listens,
                (System.nanoTime() - began) / 1_000_000);
        return db;
    }

    @Benchmark
    public List<DailyAudience> audienceRolledUp() {
        return rolledUp.audience(null, FIRST, FIRST.plusDays(DAYS - 1));
    }

    @Benchmark
    public List<DailyAudience> audienceRaw() {
        return raw.audience(null, FIRST, FIRST.plusDays(DAYS - 1));
    }

    @Benchmark
    public List<HourlyAudience> hourlyRolledUp() {
        return rolledUp.hourly(null, FIRST.plusDays(45));
    }

    @Benchmark
    public List<HourlyAudience> hourlyRaw() {
        return raw.hourly(null, FIRST.plusDays(45));
    }
}
