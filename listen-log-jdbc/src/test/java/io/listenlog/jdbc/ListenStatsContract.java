package io.listenlog.jdbc;

import io.listenlog.core.IpAnonymizer;
import io.listenlog.core.IpPrecision;
import io.listenlog.core.ListenLogger;
import io.listenlog.core.ListenRequest;
import io.listenlog.jdbc.internal.Vendor;
import org.junit.jupiter.api.BeforeEach;
import io.listenlog.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What {@link ListenRetention}, {@link ListenStats} and {@link JdbcDailyKeyStore} promise, run against every supported
 * database. The fixture logs plays through a real {@link ListenLogger} and {@link JdbcListenStore} over ten UTC days,
 * June 1 to June 10 2025, "now" being June 10 at noon; the expected numbers are computed from the fixture in Java.
 */
abstract class ListenStatsContract extends DatabaseTest {

    private static final Instant NOW = Instant.parse("2025-06-10T12:00:00Z");
    private static final LocalDate TODAY = LocalDate.of(2025, 6, 10);
    private static final LocalDate YESTERDAY = TODAY.minusDays(1);
    private static final LocalDate FIRST_DAY = LocalDate.of(2025, 6, 1);
    /** No source has a play on this day. */
    private static final LocalDate EMPTY_DAY = LocalDate.of(2025, 6, 4);
    private static final Duration RETENTION = Duration.ofDays(4);
    private static final Instant CUTOFF = NOW.minus(RETENTION);
    private static final List<Long> SOURCES_AND_ALL = Arrays.asList(null, 1L, 2L, 3L);
    private static final List<String> REFERRERS = Arrays.asList("https://Example.com/player",
            "https://example.com:8443/embed", "http://radio.example.org/", null, "not a url", "https://例え.jp/ラジオ",
            "https://user@EXAMPLE.com/");
    private static final Map<String, String> HOSTS = hosts();
    private static final List<String> USER_AGENTS = Arrays.asList("Mozilla/5.0", "VLC/3.0", "curl/8.0", null,
            "mozilla/5.0");
    private static final List<Play> PLAYS = fixture();

    /** One logged play, and what the suite expects the database to make of it. */
    private record Play(long sourceId, Instant at, String ip, String userAgent, String referrer, Integer duration) {
        LocalDate day() {
            return LocalDate.ofInstant(at, ZoneOffset.UTC);
        }

        ListenRequest request() {
            return ListenRequest.builder(sourceId).occurredAt(at).clientIp(ip).userAgent(userAgent)
                    .referrer(referrer).durationSeconds(duration).build();
        }
    }

    private static List<Play> fixture() {
        List<Play> plays = new ArrayList<>();
        int n = 0;
        for (LocalDate day = FIRST_DAY; !day.isAfter(TODAY); day = day.plusDays(1)) {
            int d = day.getDayOfMonth();
            for (long source = 1; source <= 3; source++) {
                int count = day.equals(EMPTY_DAY) ? 0 : (int) ((d * 2 + source) % 5);
                for (int i = 0; i < count; i++, n++) {
                    Instant at = day.atStartOfDay(ZoneOffset.UTC).toInstant()
                            .plusSeconds(source * 7_000 + i * 9_000L + d * 5L).plusNanos(123_456_000L);
                    // Three addresses a day shared by all sources, one play in seven without an address
                    String ip = n % 7 == 6 ? null : "192.0.2." + (d + i) % 3;
                    Integer duration = n % 3 == 0 ? null : 30 * (n % 11);
                    plays.add(new Play(source, at, ip, USER_AGENTS.get(n % USER_AGENTS.size()),
                            REFERRERS.get(n % REFERRERS.size()), duration));
                }
            }
        }
        return List.copyOf(plays);
    }

    private static Map<String, String> hosts() {
        Map<String, String> hosts = new HashMap<>();
        hosts.put("https://Example.com/player", "example.com");
        hosts.put("https://example.com:8443/embed", "example.com");
        hosts.put("http://radio.example.org/", "radio.example.org");
        hosts.put("https://例え.jp/ラジオ", "例え.jp");
        hosts.put("https://user@EXAMPLE.com/", "example.com");
        return hosts;
    }

    private ListenStats stats;

    @BeforeEach
    void migrate() {
        migrated();
        stats = ListenStats.create(dataSource());
    }

    // ---- schema ----------------------------------------------------------------------------------------------------

    @Test
    void v71StartsWithEmptyRollupsAndNoWatermark() {
        assertThat(strings("SELECT id, rolled_up_through FROM listen_rollup_state")).containsExactly("1 null");
        assertThat(strings("SELECT COUNT(*) FROM listen_daily")).containsExactly("0");
        assertThat(strings("SELECT COUNT(*) FROM listen_daily_total")).containsExactly("0");
        assertThat(strings("SELECT COUNT(*) FROM listen_anonymizer_key")).containsExactly("0");
        assertThat(retention().runOnce()).isEqualTo(new RetentionResult(0, 0));
    }

    // ---- rollups ---------------------------------------------------------------------------------------------------

    @Test
    void rollupsMatchTheRawEventsPerSourceAndForAllSources() {
        logFixture();
        assertPerDayAsExpected(FIRST_DAY, TODAY);  // all from listen_event

        assertThat(retention(Duration.ofDays(90)).runOnce()).isEqualTo(new RetentionResult(9, 0));

        assertThat(watermark()).isEqualTo("2025-06-09");
        List<String> expectedRows = new ArrayList<>();
        for (long source = 1; source <= 3; source++) {
            for (DailyListens day : expectedPerDay(source, FIRST_DAY, YESTERDAY)) {
                if (day.plays() > 0) {
                    expectedRows.add(source + " " + row(day));
                }
            }
        }
        assertThat(strings("SELECT source_id, day, plays, unique_listeners, total_duration_seconds FROM listen_daily "
                + "ORDER BY source_id, day")).containsExactlyElementsOf(expectedRows);
        List<String> expectedTotals = expectedPerDay(null, FIRST_DAY, YESTERDAY).stream()
                .filter(d -> d.plays() > 0).map(ListenStatsContract::row).toList();
        assertThat(strings("SELECT day, plays, unique_listeners, total_duration_seconds FROM listen_daily_total "
                + "ORDER BY day")).containsExactlyElementsOf(expectedTotals);
        assertPerDayAsExpected(FIRST_DAY, TODAY);  // rollups up to June 9, listen_event for June 10
        assertThat(stats.perDay(null, FIRST_DAY, YESTERDAY))
                .as("all-source uniques are distinct across sources, not summed")
                .anySatisfy(all -> assertThat(all.uniqueListeners()).isLessThan(
                        sumOfSourceUniques(all.day())));
    }

    @Test
    void statsAreTheSameBeforeAndAfterRetentionDeletesRawRows() {
        logFixture();
        Map<String, Object> before = statsSnapshot();

        RetentionResult result = retention().runOnce();

        assertThat(result).isEqualTo(new RetentionResult(9, expectedPlaysBefore(CUTOFF)));
        assertThat(result.eventsDeleted()).isGreaterThan(20);
        assertThat(statsSnapshot()).isEqualTo(before);
        assertPerDayAsExpected(FIRST_DAY, TODAY);
        assertThat(stats.totalPlays(null, FIRST_DAY, TODAY)).isEqualTo(PLAYS.size());
    }

    @Test
    void retentionDeletesOnlyOldEventsInBatchesAndNeverTouchesListenCount() {
        logFixture();
        Map<Long, Long> counts = listenCounts();
        assertThat(counts).isEqualTo(expectedCounts());
        FaultInjectingDataSource recording = new FaultInjectingDataSource(dataSource());
        long old = expectedPlaysBefore(CUTOFF);

        RetentionResult result = retention(recording.dataSource(), RETENTION, 7).runOnce();

        assertThat(result.eventsDeleted()).isEqualTo(old);
        assertThat(recording.executions("DELETE FROM listen_event")).isEqualTo((old + 6) / 7 + 1);
        assertThat(eventsBefore(CUTOFF)).isZero();
        assertThat(eventsBefore(NOW.plus(Duration.ofDays(1)))).isEqualTo(PLAYS.size() - old);
        assertThat(listenCounts()).isEqualTo(counts);
    }

    @Test
    void retentionNeverDeletesEventsOfDaysNotRolledUpYet() {
        logFixture();
        FaultInjectingDataSource faulty = new FaultInjectingDataSource(dataSource());
        ListenRetention retention = retention(faulty.dataSource(), RETENTION, 5);
        // The rollup of June 3 fails: June 1 and 2 are rolled up, June 3 to 6 are older than the cutoff but are not.
        LocalDate failing = LocalDate.of(2025, 6, 3);
        faulty.failExecutionAfter(executionsToRollUp(FIRST_DAY, failing.minusDays(1)));

        assertThatThrownBy(retention::runOnce)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("after rolling up 2 day(s) and deleting " + expectedPlaysBefore(start(failing))
                        + " event(s)")
                .hasMessageContaining("injected");

        assertThat(faulty.faultsLeft()).isFalse();
        assertThat(watermark()).isEqualTo("2025-06-02");
        assertThat(eventsBefore(start(failing))).isZero();
        assertThat(eventsBefore(CUTOFF)).isEqualTo(expectedPlaysBefore(CUTOFF) - expectedPlaysBefore(start(failing)));
        assertPerDayAsExpected(FIRST_DAY, TODAY);

        assertThat(retention.runOnce())
                .isEqualTo(new RetentionResult(7, expectedPlaysBefore(CUTOFF) - expectedPlaysBefore(start(failing))));
        assertPerDayAsExpected(FIRST_DAY, TODAY);
    }

    @Test
    void aDayIsRolledUpOnlyOnceTheRollupDelayHasPassed() {
        logFixture();
        Instant justAfterMidnight = Instant.parse("2025-06-10T00:30:00Z");
        ListenRetention.builder(dataSource()).clock(Clock.fixed(justAfterMidnight, ZoneOffset.UTC)).build().runOnce();
        assertThat(watermark()).as("June 9 ended only 30 minutes ago").isEqualTo("2025-06-08");

        ListenRetention.builder(dataSource()).clock(Clock.fixed(justAfterMidnight, ZoneOffset.UTC))
                .rollupDelay(Duration.ZERO).build().runOnce();
        assertThat(watermark()).isEqualTo("2025-06-09");
        assertPerDayAsExpected(FIRST_DAY, TODAY);
        assertThatThrownBy(() -> ListenRetention.builder(dataSource()).rollupDelay(Duration.ofHours(25)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rollupDelay");
    }

    @Test
    void lateEventsOfARecentlyRolledUpDayAreRolledUpAgain() {
        logFixture();
        ListenRetention retention = ListenRetention.builder(dataSource()).clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .build();
        retention.runOnce();
        assertThat(watermark()).isEqualTo("2025-06-09");
        DailyListens rolledUp = stats.perDay(null, YESTERDAY, YESTERDAY).get(0);
        long sourcePlays = stats.totalPlays(2L, YESTERDAY, YESTERDAY);

        ListenLogger logger = logger(JdbcListenStore.create(dataSource()));
        log(logger, ListenRequest.builder(2).clientIp("198.51.100.250").durationSeconds(42)
                .occurredAt(Instant.parse("2025-06-09T23:59:59.900Z")));
        assertThat(stats.perDay(null, YESTERDAY, YESTERDAY).get(0)).as("not rolled up again yet").isEqualTo(rolledUp);

        assertThat(retention.runOnce()).as("the day rolled up again is reported").isEqualTo(new RetentionResult(1, 0));
        assertThat(stats.perDay(null, YESTERDAY, YESTERDAY).get(0)).isEqualTo(new DailyListens(YESTERDAY,
                rolledUp.plays() + 1, rolledUp.uniqueListeners() + 1, rolledUp.totalDurationSeconds() + 42));
        assertThat(stats.totalPlays(2L, YESTERDAY, YESTERDAY)).isEqualTo(sourcePlays + 1);
        assertPerDayAsExpected(FIRST_DAY, YESTERDAY.minusDays(1));
    }

    @Test
    void aDayThatLostEventsWithinRetentionIsRolledUpAgainToMatchThem() throws Exception {
        logFixture();
        ListenRetention retention = ListenRetention.builder(dataSource()).clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .build();
        retention.runOnce();
        long before = stats.totalPlays(null, FIRST_DAY, YESTERDAY);
        try (Connection c = dataSource().getConnection();
             PreparedStatement delete = c.prepareStatement("DELETE FROM listen_event WHERE ip = ?")) {
            delete.setString(1, ANONYMIZER.anonymize(PLAYS.get(0).ip()));
            assertThat(delete.executeUpdate()).as("a deletion request removed rows").isPositive();
        }
        long kept = eventsBefore(start(TODAY));
        assertThat(kept).isLessThan(before);

        assertThat(retention.runOnce().daysRolledUp()).isPositive();
        assertThat(stats.totalPlays(null, FIRST_DAY, YESTERDAY)).isEqualTo(kept);
        assertThat(stats.audience(null, FIRST_DAY, YESTERDAY).stream().mapToLong(DailyAudience::plays).sum())
                .isEqualTo(kept);
    }

    @Test
    void aPlayWrittenWhileItsDayIsBeingRolledUpKeepsItsMarkAndIsRolledUpAgainByTheSameRun() {
        if (db() instanceof SqliteDatabase) {
            org.junit.jupiter.api.Assumptions.abort("SQLite has one writer at a time: the play waits for the rollup");
        }
        logFixture();
        ListenRetention.builder(dataSource()).retention(RETENTION)
                .clock(Clock.fixed(NOW.minus(Duration.ofDays(1)), ZoneOffset.UTC)).build().runOnce();
        assertThat(watermark()).isEqualTo(YESTERDAY.minusDays(1).toString());
        JdbcListenStore store = JdbcListenStore.create(pool());
        FaultInjectingDataSource faulty = new FaultInjectingDataSource(pool());
        faulty.afterExecuting("SELECT source_id, COUNT(*)", () -> store.write(List.of(new io.listenlog.core.ListenEvent(
                java.util.UUID.randomUUID(), 2, start(YESTERDAY).plusSeconds(600), "late", "ua", null, 42, null,
                null))));

        RetentionResult run = retention(faulty.dataSource(), RETENTION, 5_000).runOnce();

        assertThat(run.daysRolledUp()).as("yesterday rolled up without the play, then again with it").isEqualTo(2);
        long yesterdays = PLAYS.stream().filter(play -> play.day().equals(YESTERDAY)).count();
        assertThat(stats.perDay(null, YESTERDAY, YESTERDAY).get(0).plays()).isEqualTo(yesterdays + 1);
        assertThat(stats.audience(null, YESTERDAY, YESTERDAY).get(0).plays()).isEqualTo(yesterdays + 1);
        assertThat(retention().runOnce()).as("nothing left to repair").isEqualTo(new RetentionResult(0, 0));
    }

    @Test
    void runningTwiceGivesTheSameState() {
        logFixture();
        ListenRetention retention = retention();
        retention.runOnce();
        List<String> state = databaseState();

        assertThat(retention.runOnce()).isEqualTo(new RetentionResult(0, 0));

        assertThat(databaseState()).isEqualTo(state);
    }

    @Test
    void twoInstancesAtOnceGiveTheSameStateAsOne() throws Exception {
        logFixture();
        List<ListenRetention> instances = List.of(
                retention(pool(), RETENTION, 3), retention(pool(), RETENTION, 3));
        CyclicBarrier start = new CyclicBarrier(instances.size());
        ExecutorService threads = shutDownAfterTest(Executors.newFixedThreadPool(instances.size()));

        List<Future<RetentionResult>> runs = new ArrayList<>();
        for (ListenRetention instance : instances) {
            runs.add(threads.submit(() -> {
                start.await();
                return instance.runOnce();
            }));
        }
        int days = 0;
        long deleted = 0;
        for (Future<RetentionResult> run : runs) {
            RetentionResult result = run.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            days += result.daysRolledUp();
            deleted += result.eventsDeleted();
        }

        assertThat(days).isEqualTo(9);
        assertThat(deleted).isEqualTo(expectedPlaysBefore(CUTOFF));
        assertThat(watermark()).isEqualTo("2025-06-09");
        assertThat(eventsBefore(NOW.plus(Duration.ofDays(1)))).isEqualTo(PLAYS.size() - expectedPlaysBefore(CUTOFF));
        assertThat(strings("SELECT COUNT(*) FROM listen_daily")).containsExactly(String.valueOf(
                PLAYS.stream().filter(p -> p.day().isBefore(TODAY))
                        .map(p -> p.sourceId() + " " + p.day()).distinct().count()));
        assertPerDayAsExpected(FIRST_DAY, TODAY);
        assertThat(listenCounts()).isEqualTo(expectedCounts());
    }

    @Test
    void aCrashAtAnyStatementOfARunLosesNothing() {
        logFixture();
        FaultInjectingDataSource faulty = new FaultInjectingDataSource(dataSource());
        ListenRetention retention = retention(faulty.dataSource(), RETENTION, 4);
        int crashes = 0;
        for (int passing = 0; ; passing++) {
            assertThat(passing).as("runs before one got through").isLessThan(200);
            faulty.failExecutionAfter(passing);
            try {
                retention.runOnce();
            } catch (IllegalStateException crash) {
                crashes++;
                assertNothingLostSoFar();
                continue;
            }
            if (faulty.faultsLeft()) {
                break;  // a whole run passed before the armed failure
            }
            assertNothingLostSoFar();  // the failure hit a delete batch the run's next batch made up for
        }

        assertThat(crashes).isGreaterThan(10);
        assertThat(watermark()).isEqualTo("2025-06-09");
        assertThat(eventsBefore(CUTOFF)).isZero();
        assertThat(eventsBefore(NOW.plus(Duration.ofDays(1)))).isEqualTo(PLAYS.size() - expectedPlaysBefore(CUTOFF));
        assertPerDayAsExpected(FIRST_DAY, TODAY);
        faulty.failExecutionAfter(-1);  // disarm what the last loop run did not reach
        assertThat(retention.runOnce()).isEqualTo(new RetentionResult(0, 0));
    }

    /** Rolled-up days match the fixture, no event of a later day is gone, and the counters are intact. */
    private void assertNothingLostSoFar() {
        String watermark = watermark();
        if (!"null".equals(watermark)) {
            LocalDate through = LocalDate.parse(watermark);
            assertPerDayAsExpected(FIRST_DAY, through);
            assertThat(eventsBefore(NOW.plus(Duration.ofDays(1))) - eventsBefore(start(through.plusDays(1))))
                    .isEqualTo(PLAYS.stream().filter(p -> p.day().isAfter(through)).count());
        } else {
            assertThat(eventsBefore(NOW.plus(Duration.ofDays(1)))).isEqualTo(PLAYS.size());
        }
        assertThat(listenCounts()).isEqualTo(expectedCounts());
    }

    // ---- stats -----------------------------------------------------------------------------------------------------

    @Test
    void downloadsPerFileAreCountedFromTheEventsAndSurviveTheirDeletion() {
        ListenLogger logger = logger(JdbcListenStore.create(dataSource()));
        List<FileDownloads> expected = List.of(new FileDownloads(1, "shows/Monday.mp3", 3, 1),
                new FileDownloads(2, "shows/Monday.mp3", 2, 0), new FileDownloads(1, "shows/monday.mp3", 1, 0),
                new FileDownloads(2, "épisode 7.mp3", 1, 0));
        String[][] downloads = {  // source, file, day, user agent
                {"1", "shows/Monday.mp3", "2025-06-02", "AppleCoreMedia/1.0.0"},
                {"1", "shows/Monday.mp3", "2025-06-03", "AppleCoreMedia/1.0.0"},
                {"1", "shows/Monday.mp3", "2025-06-09", "Spotify/8.9"},
                {"1", "shows/Monday.mp3", "2025-06-02", "Googlebot/2.1 (+http://www.google.com/bot.html)"},
                {"1", "shows/monday.mp3", "2025-06-02", "Overcast/3.0"},
                {"2", "shows/Monday.mp3", "2025-06-02", "Overcast/3.0"},
                {"2", "shows/Monday.mp3", "2025-06-10", "Overcast/3.0"},
                {"2", "épisode 7.mp3", "2025-06-10", "Overcast/3.0"}};
        for (String[] d : downloads) {
            log(logger, ListenRequest.builder(Long.parseLong(d[0])).clientIp("192.0.2.9").userAgent(d[3])
                    .occurredAt(LocalDate.parse(d[2]).atTime(8, 0).toInstant(ZoneOffset.UTC))
                    .extra(Map.of(FileDownloads.EXTRA_KEY, d[1])));
        }
        logFixture();  // plays without a file are no downloads
        assertThat(stats.downloads(null, FIRST_DAY, TODAY)).containsExactlyElementsOf(expected);

        retention().runOnce();
        assertThat(strings("SELECT COUNT(*) FROM listen_event WHERE occurred_at < '2025-06-05'"))
                .as("the early downloads' events are deleted").containsExactly("0");
        assertThat(stats.downloads(null, FIRST_DAY, TODAY)).containsExactlyElementsOf(expected);
        assertThat(stats.downloads(2, FIRST_DAY, TODAY)).containsExactly(expected.get(1), expected.get(3));
        assertThat(stats.downloads(1, LocalDate.of(2025, 6, 3), LocalDate.of(2025, 6, 9)))
                .containsExactly(new FileDownloads(1, "shows/Monday.mp3", 2, 0));
        assertThat(stats.downloads(3, FIRST_DAY, TODAY)).isEmpty();
    }

    @Test
    void perDayFillsDaysWithoutListensWithZeros() {
        logFixture();
        LocalDate from = LocalDate.of(2025, 5, 29);
        LocalDate to = LocalDate.of(2025, 6, 12);

        for (int run = 0; run < 2; run++) {
            List<DailyListens> all = stats.perDay(null, from, to);
            assertThat(all).hasSize(15);
            assertThat(all).extracting(DailyListens::day)
                    .containsExactlyElementsOf(from.datesUntil(to.plusDays(1)).toList());
            assertThat(all).filteredOn(d -> d.day().isBefore(FIRST_DAY) || d.day().equals(EMPTY_DAY)
                            || d.day().isAfter(TODAY))
                    .hasSize(6)
                    .allSatisfy(d -> assertThat(d).isEqualTo(new DailyListens(d.day(), 0, 0, 0)));
            assertThat(stats.perDay(2L, EMPTY_DAY, EMPTY_DAY)).containsExactly(new DailyListens(EMPTY_DAY, 0, 0, 0));
            assertPerDayAsExpected(from, to);
            retention().runOnce();
        }
    }

    @Test
    void totalPlaysAndTopSourcesCountRollupsAndEvents() {
        logFixture();
        retention().runOnce();
        LocalDate from = LocalDate.of(2025, 6, 5);  // rolled up and deleted, rolled up and kept, and today

        for (Long source : SOURCES_AND_ALL) {
            assertThat(stats.totalPlays(source, from, TODAY)).as("source %s", source)
                    .isEqualTo(PLAYS.stream().filter(p -> matches(p, source, from, TODAY)).count());
        }
        Map<Long, Long> plays = PLAYS.stream().filter(p -> matches(p, null, from, TODAY))
                .collect(Collectors.groupingBy(Play::sourceId, Collectors.counting()));
        List<SourceListens> expected = plays.entrySet().stream().map(e -> new SourceListens(e.getKey(), e.getValue()))
                .sorted(Comparator.comparingLong(SourceListens::plays).reversed()
                        .thenComparingLong(SourceListens::sourceId))
                .toList();
        assertThat(stats.topSources(from, TODAY, 10)).containsExactlyElementsOf(expected);
        assertThat(stats.topSources(from, TODAY, 2)).containsExactlyElementsOf(expected.subList(0, 2));
        assertThat(stats.topSources(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 1, 31), 5)).isEmpty();
    }

    @Test
    void topReferrerHostsAndUserAgentsRankTheKeptEvents() {
        logFixture();

        for (Long source : Arrays.asList(null, 2L)) {
            assertThat(stats.topReferrerHosts(source, FIRST_DAY, TODAY, 10)).as("source %s", source)
                    .containsExactlyElementsOf(expectedTop(p -> HOSTS.get(p.referrer()), source, FIRST_DAY, 10));
            assertThat(stats.topUserAgents(source, FIRST_DAY, TODAY, 10)).as("source %s", source)
                    .containsExactlyElementsOf(expectedTop(Play::userAgent, source, FIRST_DAY, 10));
        }
        assertThat(stats.topReferrerHosts(null, FIRST_DAY, TODAY, 10)).extracting(CountedValue::value)
                .containsExactlyInAnyOrder("example.com", "radio.example.org", "例え.jp");
        assertThat(stats.topUserAgents(null, FIRST_DAY, TODAY, 10)).extracting(CountedValue::value)
                .as("user agents differing in case are different values on every database")
                .contains("Mozilla/5.0", "mozilla/5.0");
        assertThat(stats.topUserAgents(null, FIRST_DAY, TODAY, 2))
                .containsExactlyElementsOf(expectedTop(Play::userAgent, null, FIRST_DAY, 2));

        retention().runOnce();
        LocalDate keptFrom = LocalDate.ofInstant(CUTOFF, ZoneOffset.UTC);
        assertThat(stats.topReferrerHosts(null, FIRST_DAY, TODAY, 10))
                .as("only the kept events count").containsExactlyElementsOf(
                        expectedTop(p -> p.at().isBefore(CUTOFF) ? null : HOSTS.get(p.referrer()), null, keptFrom, 10));
    }

    @Test
    void aDatabaseThatCannotBeReachedIsOneDocumentedTransientFailureOnEveryReadPath() {
        FaultInjectingDataSource faults = new FaultInjectingDataSource(dataSource());
        ListenStats stats = ListenStats.create(faults.dataSource());
        ListenRetention retention = ListenRetention.builder(faults.dataSource()).build();
        faults.unreachable(true);

        assertThatThrownBy(() -> stats.totalPlays(null, TODAY, TODAY)).isInstanceOf(ListenDataAccessException.class)
                .hasMessageStartingWith("listen-log could not read")
                .satisfies(e -> assertThat(((ListenDataAccessException) e).isTransient()).isTrue());
        assertThatThrownBy(retention::runOnce).isInstanceOf(ListenDataAccessException.class)
                .hasMessageContaining("the next run resumes from there")
                .satisfies(e -> assertThat(((ListenDataAccessException) e).isTransient()).isTrue());
    }

    @Test
    void badArgumentsAreRejectedWithAClearMessage() {
        LocalDate later = FIRST_DAY.plusDays(1);
        assertThatThrownBy(() -> stats.perDay(null, later, FIRST_DAY)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("from (2025-06-02) must not be after to (2025-06-01)");
        assertThatThrownBy(() -> stats.totalPlays(1L, later, FIRST_DAY)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be after");
        assertThatThrownBy(() -> stats.topSources(FIRST_DAY, later, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("limit must be at least 1, got 0");
        assertThatThrownBy(() -> stats.topUserAgents(null, FIRST_DAY, later, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit must be at least 1");
        assertThatThrownBy(() -> stats.topReferrerHosts(0L, FIRST_DAY, later, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sourceId must be a positive");
        assertThatThrownBy(() -> ListenRetention.builder(dataSource()).retention(Duration.ofHours(23)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 day");
        assertThatThrownBy(() -> ListenRetention.builder(dataSource()).deleteBatchSize(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deleteBatchSize");
        assertThatThrownBy(() -> retention().schedule(Executors.newSingleThreadScheduledExecutor(), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("interval must be positive");
    }

    // ---- scheduling ------------------------------------------------------------------------------------------------

    @Test
    void scheduledRetentionRunsRepeatedlyAndOutlivesFailures() {
        logFixture();
        MutableClock clock = new MutableClock(NOW);
        FaultInjectingDataSource faulty = new FaultInjectingDataSource(dataSource());
        ListenRetention retention = ListenRetention.builder(faulty.dataSource()).clock(clock).build();
        ScheduledExecutorService executor = shutDownAfterTest(Executors.newSingleThreadScheduledExecutor());
        faulty.unreachable(true);

        ScheduledFuture<?> schedule = retention.schedule(executor, Duration.ofMillis(20));

        await().atMost(WAIT).until(() -> faulty.injectedFailures() >= 3);
        assertThat(schedule.isDone()).isFalse();
        assertThat(watermark()).isEqualTo("null");
        faulty.unreachable(false);
        await().atMost(WAIT).until(() -> watermark().equals("2025-06-09"));
        clock.set(NOW.plus(Duration.ofDays(1)));
        await().atMost(WAIT).until(() -> watermark().equals("2025-06-10"));
        assertThat(schedule.isDone()).isFalse();
        assertPerDayAsExpected(FIRST_DAY, TODAY);
    }

    @Test
    void anAncientEventCostsRetentionOneDayNotOneTransactionPerDaySince() {
        Instant ancient = Instant.parse("1000-01-02T10:00:00Z");
        ListenLogger logger = logger(JdbcListenStore.create(dataSource()));
        logger.log(ListenRequest.builder(1).occurredAt(ancient).build());
        logger.log(ListenRequest.builder(2).occurredAt(NOW.minus(Duration.ofDays(2))).build());
        assertThat(logger.flush(WAIT)).isTrue();
        assertThat(logger.metrics().written()).isEqualTo(2);

        FaultInjectingDataSource recording = new FaultInjectingDataSource(dataSource());
        RetentionResult result = retention(recording.dataSource(), RETENTION, 5_000).runOnce();

        assertThat(recording.executions("UPDATE listen_rollup_state SET rolled_up_through")).as("the ancient day, the day before yesterday, "
                + "then yesterday").isEqualTo(3);
        assertThat(result.daysRolledUp()).as("every day up to yesterday is rolled up")
                .isEqualTo(java.time.temporal.ChronoUnit.DAYS.between(LocalDate.of(1000, 1, 2), TODAY));
        assertThat(result.eventsDeleted()).as("the ancient event is past retention").isEqualTo(1);
        assertThat(stats.totalPlays(null, LocalDate.of(1000, 1, 1), TODAY)).isEqualTo(2);
        assertThat(watermark()).isEqualTo(YESTERDAY.toString());
    }

    @Test
    void aQueryReadsOneSnapshotWhileRetentionRollsUpAndDeletesBesideIt() {
        if (db() instanceof SqliteDatabase) {
            org.junit.jupiter.api.Assumptions.abort("SQLite has one writer at a time: retention waits for the query");
        }
        logFixture();
        FaultInjectingDataSource faulty = new FaultInjectingDataSource(pool());
        ListenStats racing = ListenStats.create(faulty.dataSource());
        faulty.afterExecuting("SELECT rolled_up_through", () -> {
            RetentionResult done = retention().runOnce();
            assertThat(done.eventsDeleted()).as("retention really ran in between").isPositive();
        });

        assertThat(racing.totalPlays(null, FIRST_DAY, TODAY)).isEqualTo(PLAYS.size());
        assertThat(stats.totalPlays(null, FIRST_DAY, TODAY)).as("and after it").isEqualTo(PLAYS.size());
    }

    // ---- daily keys ------------------------------------------------------------------------------------------------

    @Test
    void dailyKeyStoreGivesEveryInstanceTheSameKeyOfADay() throws Exception {
        List<JdbcDailyKeyStore> stores = List.of(JdbcDailyKeyStore.create(pool()), JdbcDailyKeyStore.create(pool()));
        ExecutorService threads = shutDownAfterTest(Executors.newFixedThreadPool(4));
        CyclicBarrier start = new CyclicBarrier(4);
        List<Future<byte[]>> keys = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            JdbcDailyKeyStore store = stores.get(i % 2);
            keys.add(threads.submit(() -> {
                start.await();
                return store.keyFor(TODAY);
            }));
        }
        byte[] today = keys.get(0).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        for (Future<byte[]> key : keys) {
            assertThat(key.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(today);
        }
        assertThat(today).hasSize(32);
        assertThat(stores.get(1).keyFor(TODAY)).isEqualTo(today);

        byte[] yesterday = stores.get(1).keyFor(YESTERDAY);
        assertThat(yesterday).hasSize(32).isNotEqualTo(today);
        assertThat(stores.get(0).keyFor(YESTERDAY)).isEqualTo(yesterday);
        assertThat(strings("SELECT day FROM listen_anonymizer_key ORDER BY day"))
                .containsExactly("2025-06-09", "2025-06-10");

        stores.get(0).destroyBefore(TODAY);

        assertThat(strings("SELECT day FROM listen_anonymizer_key")).containsExactly("2025-06-10");
        assertThat(stores.get(1).keyFor(TODAY)).isEqualTo(today);
        assertThat(stores.get(1).keyFor(YESTERDAY)).as("a destroyed key is never created again").isNull();
        assertThat(strings("SELECT day FROM listen_anonymizer_key")).containsExactly("2025-06-10");
        stores.get(1).destroyBefore(YESTERDAY.minusDays(3));
        assertThat(stores.get(0).keyFor(YESTERDAY)).as("the horizon never moves back").isNull();
    }

    @Test
    void retentionDestroysTheKeysOfDaysPastTheGraceAndAnUnreachableKeyStoreIsTransient() {
        JdbcDailyKeyStore keys = JdbcDailyKeyStore.create(pool());
        keys.keyFor(YESTERDAY.minusDays(1));
        keys.keyFor(YESTERDAY);
        keys.keyFor(TODAY);
        ListenRetention.builder(pool()).clock(new MutableClock(NOW)).destroyDailyKeys(keys, Duration.ofDays(1)).build()
                .runOnce();
        assertThat(strings("SELECT day FROM listen_anonymizer_key ORDER BY day"))
                .containsExactly(YESTERDAY.toString(), TODAY.toString());
        assertThat(keys.keyFor(YESTERDAY.minusDays(1))).isNull();

        FaultInjectingDataSource faulty = new FaultInjectingDataSource(pool());
        JdbcDailyKeyStore unreachable = JdbcDailyKeyStore.create(faulty.dataSource());
        faulty.unreachable(true);
        assertThatThrownBy(() -> unreachable.keyFor(TODAY)).isInstanceOfSatisfying(
                io.listenlog.core.ListenStoreException.class, e -> assertThat(e.isTransient()).isTrue());
    }

    @Test
    void dailyRotatingAnonymizerWithTheJdbcKeyStoreLinksAddressesWithinADayOnly() {
        MutableClock clock = new MutableClock(NOW);
        List<ListenLogger> instances = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            DataSource pool = pool();
            IpAnonymizer anonymizer = IpAnonymizer.dailyRotating(JdbcDailyKeyStore.create(pool),
                    IpPrecision.FULL_ADDRESS, Duration.ofDays(1), clock);
            instances.add(logger(JdbcListenStore.create(pool), anonymizer));
        }
        String address = "203.0.113.7";

        log(instances.get(0), ListenRequest.builder(1).clientIp(address).occurredAt(NOW.minus(Duration.ofDays(1))));
        log(instances.get(0), ListenRequest.builder(1).clientIp(address).occurredAt(NOW));
        log(instances.get(1), ListenRequest.builder(2).clientIp(address).occurredAt(NOW.plusSeconds(60)));

        List<String> hashes = strings("SELECT ip FROM listen_event ORDER BY occurred_at");
        assertThat(hashes).hasSize(3).allSatisfy(hash -> assertThat(hash).hasSize(64).doesNotContain("203.0.113"));
        assertThat(hashes.get(1)).as("same day, other instance").isEqualTo(hashes.get(2));
        assertThat(hashes.get(0)).as("other day").isNotEqualTo(hashes.get(1));
        assertThat(stats.perDay(null, YESTERDAY, TODAY)).containsExactly(
                new DailyListens(YESTERDAY, 1, 1, 0), new DailyListens(TODAY, 2, 1, 0));
        assertThat(strings("SELECT day FROM listen_anonymizer_key ORDER BY day"))
                .containsExactly("2025-06-09", "2025-06-10");

        clock.set(NOW.plus(Duration.ofDays(2)));
        log(instances.get(1), ListenRequest.builder(3).clientIp(address).occurredAt(clock.instant()));
        assertThat(strings("SELECT day FROM listen_anonymizer_key ORDER BY day")).as("anonymizing destroys nothing")
                .containsExactly("2025-06-09", "2025-06-10", "2025-06-12");

        ListenRetention.builder(pool()).clock(clock).destroyDailyKeys(JdbcDailyKeyStore.create(pool()),
                Duration.ofDays(1)).build().runOnce();
        assertThat(strings("SELECT day FROM listen_anonymizer_key ORDER BY day"))
                .as("the scheduled job destroys keys older than the one-day grace").containsExactly("2025-06-12");
    }

    private static void log(ListenLogger logger, ListenRequest.Builder request) {
        assertThat(logger.log(request.build())).isTrue();
        assertThat(logger.flush(WAIT)).isTrue();
        assertThat(logger.metrics().rejected()).isZero();
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    private void logFixture() {
        ListenLogger logger = logger(JdbcListenStore.create(dataSource()));
        for (Play play : PLAYS) {
            assertThat(logger.log(play.request())).isTrue();
        }
        assertThat(logger.flush(WAIT)).isTrue();
        assertThat(logger.metrics().written()).isEqualTo(PLAYS.size());
    }

    private ListenRetention retention() {
        return retention(dataSource(), RETENTION, 5_000);
    }

    private ListenRetention retention(Duration retention) {
        return ListenRetention.builder(dataSource()).retention(retention).clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .build();
    }

    private static ListenRetention retention(DataSource dataSource, Duration retention, int deleteBatchSize) {
        return ListenRetention.builder(dataSource).retention(retention).deleteBatchSize(deleteBatchSize)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
    }

    private <E extends ExecutorService> E shutDownAfterTest(E executor) {
        closeAfterTest(executor::shutdownNow);
        return executor;
    }

    /** Statement executions and commits of a run that rolls up {@code from..through} (see ListenRetention). */
    private static int executionsToRollUp(LocalDate from, LocalDate through) {
        int executions = 0;
        for (LocalDate day = from; !day.isAfter(through); day = day.plusDays(1)) {
            LocalDate d = day;
            boolean any = PLAYS.stream().anyMatch(p -> p.day().equals(d));
            // A day with events: lock the watermark, earliest day, per-source select, insert batch, total select, total
            // insert, then its audience (listens select, four deletes, insert batch, country insert batch, downloads
            // insert, signature insert), watermark update, commit. Days without events are passed over in the next
            // day's transaction.
            executions += any ? 17 : 0;
        }
        return executions;
    }

    private void assertPerDayAsExpected(LocalDate from, LocalDate to) {
        for (Long source : SOURCES_AND_ALL) {
            assertThat(stats.perDay(source, from, to)).as("source %s", source)
                    .containsExactlyElementsOf(expectedPerDay(source, from, to));
        }
    }

    private static List<DailyListens> expectedPerDay(Long source, LocalDate from, LocalDate to) {
        List<DailyListens> days = new ArrayList<>();
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            LocalDate d = day;
            List<Play> plays = PLAYS.stream().filter(p -> matches(p, source, d, d)).toList();
            days.add(new DailyListens(day, plays.size(),
                    plays.stream().map(Play::ip).filter(Objects::nonNull).distinct().count(),
                    plays.stream().map(Play::duration).filter(Objects::nonNull).mapToLong(Integer::longValue).sum()));
        }
        return days;
    }

    private static long sumOfSourceUniques(LocalDate day) {
        long sum = 0;
        for (long source = 1; source <= 3; source++) {
            sum += expectedPerDay(source, day, day).get(0).uniqueListeners();
        }
        return sum;
    }

    private static List<CountedValue> expectedTop(Function<Play, String> value, Long source, LocalDate from,
                                                  int limit) {
        Map<String, Long> counts = PLAYS.stream().filter(p -> matches(p, source, from, TODAY))
                .map(value).filter(Objects::nonNull)
                .collect(Collectors.groupingBy(v -> v, LinkedHashMap::new, Collectors.counting()));
        return counts.entrySet().stream().map(e -> new CountedValue(e.getKey(), e.getValue()))
                .sorted(Comparator.comparingLong(CountedValue::plays).reversed().thenComparing(CountedValue::value))
                .limit(limit)
                .toList();
    }

    private static boolean matches(Play play, Long source, LocalDate from, LocalDate to) {
        return (source == null || play.sourceId() == source)
                && !play.day().isBefore(from) && !play.day().isAfter(to);
    }

    private static long expectedPlaysBefore(Instant instant) {
        return PLAYS.stream().filter(p -> p.at().isBefore(instant)).count();
    }

    private static Map<Long, Long> expectedCounts() {
        Map<Long, Long> counts = counts(0, 0, 0);
        PLAYS.forEach(p -> counts.merge(p.sourceId(), 1L, Long::sum));
        return counts;
    }

    private static Instant start(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private static String row(DailyListens day) {
        return day.day() + " " + day.plays() + " " + day.uniqueListeners() + " " + day.totalDurationSeconds();
    }

    /** {@code rolled_up_through} as text, {@code "null"} before the first rollup. */
    private String watermark() {
        return strings("SELECT rolled_up_through FROM listen_rollup_state").get(0);
    }

    private long eventsBefore(Instant instant) {
        try (Connection c = dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM listen_event WHERE occurred_at < ?")) {
            Vendor.of(c).bindTimestamp(ps, 1, instant);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    /** What the stats say about the fixture's days, for every source and all sources. */
    private Map<String, Object> statsSnapshot() {
        Map<String, Object> snapshot = new LinkedHashMap<>();
        LocalDate mid = LocalDate.of(2025, 6, 6);
        for (Long source : SOURCES_AND_ALL) {
            snapshot.put("perDay " + source, stats.perDay(source, FIRST_DAY.minusDays(1), TODAY.plusDays(1)));
            snapshot.put("total " + source, stats.totalPlays(source, FIRST_DAY, TODAY));
            snapshot.put("total to mid " + source, stats.totalPlays(source, FIRST_DAY, mid));
            snapshot.put("total from mid " + source, stats.totalPlays(source, mid, TODAY));
        }
        snapshot.put("top sources", stats.topSources(FIRST_DAY, TODAY, 3));
        snapshot.put("top sources from mid", stats.topSources(mid, TODAY, 3));
        return snapshot;
    }

    /** Every table retention writes or deletes from, as text. */
    private List<String> databaseState() {
        List<String> state = new ArrayList<>();
        state.addAll(strings("SELECT * FROM listen_daily ORDER BY source_id, day"));
        state.addAll(strings("SELECT * FROM listen_daily_total ORDER BY day"));
        state.addAll(strings("SELECT * FROM listen_rollup_state"));
        state.addAll(strings("SELECT id FROM listen_event ORDER BY id"));
        state.addAll(strings("SELECT id, listen_count FROM radio_source ORDER BY id"));
        return state;
    }
}
