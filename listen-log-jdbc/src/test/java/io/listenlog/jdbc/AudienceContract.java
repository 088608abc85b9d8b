package io.listenlog.jdbc;

import io.listenlog.core.ClientInfo;
import io.listenlog.core.ListenEvent;
import io.listenlog.core.Location;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * {@link ListenStats#audience}, {@link ListenStats#hourly}, {@link ListenStats#uniqueListeners} and
 * {@link ListenStats#topClients} on a generated month (sessions across midnight, pauses reported as shorter durations,
 * overlapping sessions of one listener, bots, players, unreported durations, unclassified listens), each figure checked against an independent computation: a
 * second-by-second simulation of who listens when (the generator starts and lengthens listens in whole seconds).
 */
abstract class AudienceContract extends DatabaseTest {

    private static final LocalDate DAY_1 = LocalDate.of(2026, 3, 9);
    private static final LocalDate DAY_2 = DAY_1.plusDays(1);
    private static final int DAYS = 30;
    private static final LocalDate LAST_DAY = DAY_1.plusDays(DAYS - 1);

    private final List<ListenEvent> events = new ArrayList<>();

    @BeforeEach
    void generate() {
        migrated();
        Random random = new Random(42);
        Instant first = DAY_1.atStartOfDay(ZoneOffset.UTC).toInstant().minus(Duration.ofHours(6));
        for (int i = 0; i < 200 * DAYS; i++) {
            Instant start = first.plusSeconds(random.nextInt((int) Duration.ofHours(6 + 24 * DAYS).getSeconds()));
            Integer seconds = switch (random.nextInt(6)) {
                case 0 -> null;                                     // never reported
                case 1 -> random.nextInt(60);                       // shorter than a minute
                case 2, 3 -> 60 + random.nextInt(1_800);            // a typical listen
                case 4 -> 3_600 + random.nextInt(5 * 3_600);        // hours, across midnight at times
                default -> random.nextInt(600);
            };
            boolean bot = random.nextInt(8) == 0;
            int address = random.nextInt(1_000);
            String listener = random.nextInt(20) == 0 ? null : "listener-" + address;
            String app = bot ? "Googlebot" : List.of("VLC media player", "Chrome", "Winamp").get(random.nextInt(3));
            // Half the listens carry an identity of address and user agent (two devices per address), as the
            // logger stores them; the others, as stored before, count by address.
            String identity = listener == null || random.nextBoolean() ? null
                    : String.format("%062x%02x", address, random.nextInt(2));
            Location location = random.nextInt(6) == 0 ? null
                    : new Location(List.of("FR", "JP", "US").get(address % 3), address % 3 == 0 ? "FR-IDF" : null);
            events.add(new ListenEvent(UUID.randomUUID(), 1 + random.nextInt(3), start, listener, "ua", null, seconds,
                    null, random.nextInt(30) == 0 && !bot ? null : new ClientInfo(bot, app, "Other Computer"),
                    identity, location));
        }
        JdbcListenStore.create(dataSource()).write(events);
    }

    /** The figures of {@code [from, from + seconds)} by simulating every second; sessions as the stats define them. */
    private record Expected(long plays, long sessions, long botPlays, long uniqueListeners, long listeningSeconds,
                            double timeSpentListening, long peak, double averageQuarterHour, double averageSession) {
    }

    /** The listener a listen counts for: its stored identity, else its address hash. */
    private static String listenerOf(ListenEvent e) {
        return e.listener() != null ? e.listener() : e.ipHash();
    }

    private Expected simulate(Long sourceId, Instant from, int seconds, long minimumSeconds) {
        return simulate(sourceId, null, from, seconds, minimumSeconds);
    }

    private Expected simulate(Long sourceId, String country, Instant from, int seconds, long minimumSeconds) {
        long start0 = from.getEpochSecond();
        int[] active = new int[seconds];
        List<Set<String>> listenersPerQuarter = new ArrayList<>();
        List<java.util.Map<String, Set<Integer>>> secondsPerListener = new ArrayList<>();
        for (int q = 0; q < seconds / 900; q++) {
            secondsPerListener.add(new java.util.HashMap<>());
        }
        long plays = 0;
        long sessions = 0;
        long botPlays = 0;
        long sessionSeconds = 0;
        long identifiedSeconds = 0;
        Set<String> listeners = new HashSet<>();
        for (ListenEvent e : events) {
            if (sourceId != null && e.sourceId() != sourceId) {
                continue;
            }
            if (country != null && !country.equals(e.location() == null ? CountryAudience.UNKNOWN
                    : e.location().country())) {
                continue;
            }
            boolean bot = e.client() != null && e.client().bot();
            long length = e.durationSeconds() == null ? 0 : e.durationSeconds();
            long s = e.occurredAt().getEpochSecond() - start0;
            boolean startsHere = s >= 0 && s < seconds;
            if (startsHere) {
                plays++;
                botPlays += bot ? 1 : 0;
            }
            if (bot || length < minimumSeconds) {
                continue;
            }
            if (startsHere) {
                sessions++;
                sessionSeconds += length;
            }
            boolean activeHere = s < seconds && (s + length > 0 || startsHere);
            if (activeHere && listenerOf(e) != null) {
                listeners.add(listenerOf(e));
            }
            for (long t = Math.max(0, s); t < Math.min(seconds, s + length); t++) {
                active[(int) t]++;
                if (listenerOf(e) != null) {
                    identifiedSeconds++;
                    secondsPerListener.get((int) (t / 900)).computeIfAbsent(listenerOf(e), k -> new HashSet<>())
                            .add((int) t);
                }
            }
        }
        long listening = 0;
        long peak = 0;
        for (int a : active) {
            listening += a;
            peak = Math.max(peak, a);
        }
        long qualifying = 0;
        for (java.util.Map<String, Set<Integer>> quarter : secondsPerListener) {
            qualifying += quarter.values().stream().filter(set -> set.size() >= 300).count();
        }
        return new Expected(plays, sessions, botPlays, listeners.size(), listening,
                listeners.isEmpty() ? 0 : identifiedSeconds / (double) listeners.size(), peak,
                qualifying / (double) secondsPerListener.size(), sessions == 0 ? 0 : sessionSeconds / (double) sessions);
    }

    private static void assertDay(DailyAudience actual, Expected expected) {
        assertThat(actual.plays()).as("plays").isEqualTo(expected.plays());
        assertThat(actual.sessions()).as("sessions").isEqualTo(expected.sessions());
        assertThat(actual.botPlays()).as("bot plays").isEqualTo(expected.botPlays());
        assertThat(actual.uniqueListeners()).as("cume").isEqualTo(expected.uniqueListeners());
        assertThat(actual.listeningSeconds()).as("listening seconds").isEqualTo(expected.listeningSeconds());
        assertThat(actual.averageActiveSessions()).as("AAS")
                .isCloseTo(expected.listeningSeconds() / 86_400.0, within(1e-9));
        assertThat(actual.timeSpentListeningSeconds()).as("TSL").isCloseTo(expected.timeSpentListening(), within(1e-6));
        assertThat(actual.peakConcurrentSessions()).as("peak").isEqualTo(expected.peak());
        assertThat(actual.averageQuarterHour()).as("AQH").isCloseTo(expected.averageQuarterHour(), within(1e-9));
        assertThat(actual.averageSessionSeconds()).as("average session")
                .isCloseTo(expected.averageSession(), within(1e-6));
    }

    @Test
    void everyDailyFigureMatchesASecondBySecondSimulationForAllSourcesAndForOne() {
        ListenStats stats = ListenStats.create(dataSource());
        List<DailyAudience> all = stats.audience(null, DAY_1, LAST_DAY);
        List<DailyAudience> one = stats.audience(2, DAY_1, LAST_DAY);

        assertThat(all).extracting(DailyAudience::day).hasSize(DAYS).startsWith(DAY_1, DAY_2).endsWith(LAST_DAY);
        for (int i = 0; i < DAYS; i++) {
            Instant dayStart = DAY_1.plusDays(i).atStartOfDay(ZoneOffset.UTC).toInstant();
            assertDay(all.get(i), simulate(null, dayStart, 86_400, 60));
            assertDay(one.get(i), simulate(2L, dayStart, 86_400, 60));
        }
        assertThat(all.get(1).sessions()).isLessThan(all.get(1).plays() - all.get(1).botPlays());
        assertThat(all.get(1).peakConcurrentSessions()).isGreaterThan(1);
        assertThat(all.get(1).averageQuarterHour()).isPositive();
    }

    @Test
    void aMinimumListenOfZeroCountsEveryPlayByAPerson() {
        ListenStats every = ListenStats.builder(dataSource()).minimumListen(Duration.ZERO).build();
        DailyAudience day = every.audience(null, DAY_2, DAY_2).get(0);

        Expected expected = simulate(null, DAY_2.atStartOfDay(ZoneOffset.UTC).toInstant(), 86_400, 0);
        assertDay(day, expected);
        assertThat(day.sessions()).isEqualTo(day.plays() - day.botPlays());
    }

    @Test
    void everyHourMatchesTheSimulationAndTheHoursAddUpToTheDay() {
        ListenStats stats = ListenStats.create(dataSource());
        List<HourlyAudience> hours = stats.hourly(null, DAY_2);

        assertThat(hours).extracting(HourlyAudience::hour).containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, 24).boxed().toList());
        for (HourlyAudience hour : hours) {
            Expected expected = simulate(null, DAY_2.atStartOfDay(ZoneOffset.UTC).toInstant()
                    .plus(Duration.ofHours(hour.hour())), 3_600, 60);
            assertThat(hour.plays()).isEqualTo(expected.plays());
            assertThat(hour.sessions()).isEqualTo(expected.sessions());
            assertThat(hour.listeningSeconds()).isEqualTo(expected.listeningSeconds());
            assertThat(hour.averageActiveSessions()).isCloseTo(expected.listeningSeconds() / 3_600.0, within(1e-9));
            assertThat(hour.uniqueListeners()).isEqualTo(expected.uniqueListeners());
            assertThat(hour.averageQuarterHour()).isCloseTo(expected.averageQuarterHour(), within(1e-9));
        }
        DailyAudience day = stats.audience(null, DAY_2, DAY_2).get(0);
        assertThat(hours.stream().mapToLong(HourlyAudience::sessions).sum()).isEqualTo(day.sessions());
        assertThat(hours.stream().mapToLong(HourlyAudience::listeningSeconds).sum())
                .isBetween(day.listeningSeconds() - 24, day.listeningSeconds() + 24);
    }

    @Test
    void rangeCumeCountsAListenerOfSeveralDaysOnce() {
        ListenStats stats = ListenStats.create(dataSource());
        long range = stats.uniqueListeners(null, DAY_1, LAST_DAY);
        long sumOfDays = stats.audience(null, DAY_1, LAST_DAY).stream().mapToLong(DailyAudience::uniqueListeners).sum();

        assertThat(range).isEqualTo(simulate(null, DAY_1.atStartOfDay(ZoneOffset.UTC).toInstant(), DAYS * 86_400, 60)
                .uniqueListeners());
        assertThat(range).isLessThan(sumOfDays);
        assertThat(stats.uniqueListeners(3, DAY_1, LAST_DAY)).isLessThan(range);
    }

    @Test
    void topClientsCountPeoplesPlaysAndLeaveBotsOut() {
        ListenStats stats = ListenStats.create(dataSource());
        List<CountedValue> top = stats.topClients(null, DAY_1, LAST_DAY, 10);

        Instant from = DAY_1.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = LAST_DAY.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        java.util.Map<String, Long> expected = new java.util.TreeMap<>();
        for (ListenEvent e : events) {
            if (e.client() != null && !e.client().bot() && !e.occurredAt().isBefore(from) && e.occurredAt().isBefore(to)) {
                expected.merge(e.client().app(), 1L, Long::sum);
            }
        }
        assertThat(top).extracting(CountedValue::value).containsExactlyInAnyOrderElementsOf(expected.keySet())
                .doesNotContain("Googlebot");
        assertThat(top).allSatisfy(v -> assertThat(v.plays()).isEqualTo(expected.get(v.value())));
        assertThat(top).isSortedAccordingTo(java.util.Comparator.comparingLong(CountedValue::plays).reversed());
        assertThat(stats.topPlatforms(1, DAY_1, LAST_DAY, 5)).extracting(CountedValue::value)
                .containsExactly("Other Computer");
    }

    @Test
    void countriesMatchTheSimulationOfTheirListensAndUnlocatedListensAreZz() {
        ListenStats stats = ListenStats.create(dataSource());
        assertCountriesMatchTheSimulation(stats, null);
        assertCountriesMatchTheSimulation(stats, 2L);
        assertThat(stats.countries(null, DAY_1, LAST_DAY)).extracting(CountryAudience::country)
                .containsExactlyInAnyOrder("FR", "JP", "US", CountryAudience.UNKNOWN);
    }

    @Test
    void aListenerIsTheStoredIdentityWhereThereIsOneSoTwoDevicesBehindOneAddressCountTwice() {
        long addresses = events.stream().filter(e -> e.ipHash() != null).map(ListenEvent::ipHash).distinct().count();
        long listeners = events.stream().filter(e -> listenerOf(e) != null).map(AudienceContract::listenerOf)
                .distinct().count();
        assertThat(listeners).isGreaterThan(addresses);
        ListenStats stats = ListenStats.builder(dataSource()).minimumListen(Duration.ZERO).build();
        assertThat(stats.uniqueListeners(null, DAY_1, LAST_DAY)).isEqualTo(simulate(null,
                DAY_1.atStartOfDay(ZoneOffset.UTC).toInstant(), DAYS * 86_400, 0).uniqueListeners());
    }

    private void assertCountriesMatchTheSimulation(ListenStats stats, Long sourceId) {
        Instant from = DAY_1.atStartOfDay(ZoneOffset.UTC).toInstant();
        List<CountryAudience> countries = stats.countries(sourceId, DAY_1, LAST_DAY);
        assertThat(countries).isSortedAccordingTo(java.util.Comparator.comparingLong(CountryAudience::sessions)
                .reversed());
        for (CountryAudience country : countries) {
            Expected expected = simulate(sourceId, country.country(), from, DAYS * 86_400, 60);
            assertThat(country.sessions()).as("sessions of %s", country.country()).isEqualTo(expected.sessions());
            assertThat(country.listeningSeconds()).as("listening of %s", country.country())
                    .isBetween(expected.listeningSeconds() - DAYS, expected.listeningSeconds() + DAYS);
            assertThat(country.averageActiveSessions())
                    .isCloseTo(country.listeningSeconds() / (DAYS * 86_400.0), within(1e-9));
            assertThat(country.listeningHours()).isCloseTo(country.listeningSeconds() / 3_600.0, within(1e-9));
            // Exact from raw events; within four standard errors (1.3% each) of it from the rollups' sketches.
            assertThat((double) country.uniqueListeners()).as("cume of %s", country.country())
                    .isCloseTo(expected.uniqueListeners(), within(expected.uniqueListeners() * 0.052 + 0.5));
        }
        assertThat(countries.stream().mapToLong(CountryAudience::sessions).sum())
                .isEqualTo(stats.audience(sourceId, DAY_1, LAST_DAY).stream().mapToLong(DailyAudience::sessions).sum());
    }

    private ListenRetention retentionAt(Instant now, Duration retention) {
        return retentionAt(dataSource(), now, retention);
    }

    private static ListenRetention retentionAt(javax.sql.DataSource dataSource, Instant now, Duration retention) {
        return ListenRetention.builder(dataSource).retention(retention)
                .clock(java.time.Clock.fixed(now, ZoneOffset.UTC)).build();
    }

    private void assertEveryFigureMatchesTheSimulation(ListenStats stats) {
        List<DailyAudience> all = stats.audience(null, DAY_1, LAST_DAY);
        List<DailyAudience> one = stats.audience(2, DAY_1, LAST_DAY);
        for (int i = 0; i < DAYS; i++) {
            Instant dayStart = DAY_1.plusDays(i).atStartOfDay(ZoneOffset.UTC).toInstant();
            assertDay(all.get(i), simulate(null, dayStart, 86_400, 60));
            assertDay(one.get(i), simulate(2L, dayStart, 86_400, 60));
        }
        for (HourlyAudience hour : stats.hourly(1, DAY_2)) {
            Expected expected = simulate(1L, DAY_2.atStartOfDay(ZoneOffset.UTC).toInstant()
                    .plus(Duration.ofHours(hour.hour())), 3_600, 60);
            assertThat(hour.sessions()).isEqualTo(expected.sessions());
            assertThat(hour.listeningSeconds()).isEqualTo(expected.listeningSeconds());
            assertThat(hour.uniqueListeners()).isEqualTo(expected.uniqueListeners());
            assertThat(hour.averageQuarterHour()).isCloseTo(expected.averageQuarterHour(), within(1e-9));
        }
    }

    @Test
    void everyFigureOutlivesTheRawEventsInTheRollupsAndRangeCumeInItsSketches() {
        Instant later = LAST_DAY.plusDays(6).atStartOfDay(ZoneOffset.UTC).toInstant();
        RetentionResult result = retentionAt(later, Duration.ofDays(1)).runOnce();

        assertThat(result.eventsDeleted()).isEqualTo(events.size());
        assertThat(tableExists("listen_event") && longs("SELECT 1, COUNT(*) FROM listen_event").get(1L) == 0).isTrue();
        ListenStats stats = ListenStats.create(dataSource());
        assertThat(stats.rolledUpThrough()).isEqualTo(LAST_DAY.plusDays(4));
        assertEveryFigureMatchesTheSimulation(stats);
        assertCountriesMatchTheSimulation(stats, null);
        assertCountriesMatchTheSimulation(stats, 3L);
        long exact = simulate(null, DAY_1.atStartOfDay(ZoneOffset.UTC).toInstant(), DAYS * 86_400, 60).uniqueListeners();
        // Within about four standard errors (1.3% each) of the exact count; the data are fixed, so the result is too.
        assertThat((double) stats.uniqueListeners(null, DAY_1, LAST_DAY)).as("HyperLogLog estimate")
                .isCloseTo(exact, within(exact * 0.048));
    }

    /** A whole-day sketch in the format of earlier versions: {@code listeners} registers of 4,096 set to rank 1. */
    private void storeFormerSketch(LocalDate day, int listeners) throws Exception {
        byte[] registers = new byte[4096];
        java.util.Arrays.fill(registers, 0, listeners, (byte) 1);
        try (java.sql.Connection c = dataSource().getConnection();
             java.sql.PreparedStatement update = c.prepareStatement(
                     "UPDATE listen_audience SET listeners_sketch = ? WHERE day = ? AND hour = 24")) {
            update.setBytes(1, registers);
            io.listenlog.jdbc.internal.Vendor.of(c).bindDay(update, 2, day);
            assertThat(update.executeUpdate()).isPositive();
        }
    }

    /** The signatures per source and day that versions before V7_7 kept of every rolled-up day. */
    private void storeSignaturesAsBeforeV7_7() throws Exception {
        try (java.sql.Connection c = dataSource().getConnection()) {
            String day = io.listenlog.jdbc.internal.Vendor.of(c).utcDayOf("occurred_at");
            try (java.sql.PreparedStatement insert = c.prepareStatement("INSERT INTO listen_day_signature (source_id,"
                    + " day, events, max_id, duration_sum) SELECT source_id, " + day + ", COUNT(*), MAX(id),"
                    + " COALESCE(SUM(duration_seconds), 0) FROM listen_event GROUP BY source_id, " + day)) {
                assertThat(insert.executeUpdate()).isPositive();
            }
        }
    }

    private long rows(String table) throws Exception {
        try (java.sql.Connection c = dataSource().getConnection();
             java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aDayRolledUpWithTheFormerSketchIsReadAndRolledUpAgainWhileItsEventsAreKept() throws Exception {
        ListenRetention retention = retentionAt(LAST_DAY.plusDays(2).atStartOfDay(ZoneOffset.UTC).toInstant(),
                Duration.ofDays(90));
        retention.runOnce();
        storeSignaturesAsBeforeV7_7();
        storeFormerSketch(DAY_2, 5);
        ListenStats stats = ListenStats.create(dataSource());
        assertThat(stats.uniqueListeners(null, DAY_2, DAY_2)).as("read in its own format").isEqualTo(5);

        assertThat(retention.runOnce().daysRolledUp()).as("the day and the day after").isEqualTo(2);

        assertThat(stats.uniqueListeners(null, DAY_2, DAY_2)).isEqualTo(
                simulate(null, DAY_2.atStartOfDay(ZoneOffset.UTC).toInstant(), 86_400, 60).uniqueListeners());
        assertThat(retention.runOnce().daysRolledUp()).as("nothing left to rebuild").isZero();
    }

    @Test
    void aDayRolledUpBeforeCountriesWereIsRolledUpAgainWhileItsEventsAreKept() throws Exception {
        ListenRetention retention = retentionAt(LAST_DAY.plusDays(2).atStartOfDay(ZoneOffset.UTC).toInstant(),
                Duration.ofDays(90));
        retention.runOnce();
        storeSignaturesAsBeforeV7_7();
        try (java.sql.Connection c = dataSource().getConnection();
             java.sql.PreparedStatement ps = c.prepareStatement("DELETE FROM listen_audience_country WHERE day = ?")) {
            io.listenlog.jdbc.internal.Vendor.of(c).bindDay(ps, 1, DAY_2);
            assertThat(ps.executeUpdate()).isPositive();
        }

        assertThat(retention.runOnce().daysRolledUp()).as("the day and the day after").isEqualTo(2);

        assertCountriesMatchTheSimulation(ListenStats.create(dataSource()), null);
        assertThat(retention.runOnce().daysRolledUp()).as("nothing left to rebuild").isZero();
    }

    @Test
    void aChangeAnEarlierVersionMadeWithoutMarksIsFoundOnceByItsSignatures() throws Exception {
        ListenRetention retention = retentionAt(LAST_DAY.plusDays(2).atStartOfDay(ZoneOffset.UTC).toInstant(),
                Duration.ofDays(90));
        retention.runOnce();
        storeSignaturesAsBeforeV7_7();
        ListenEvent late = new ListenEvent(UUID.randomUUID(), 1, DAY_2.atStartOfDay(ZoneOffset.UTC).toInstant()
                .plusSeconds(30_000), "listener-late", "ua", null, 700, null, new ClientInfo(false, "VLC", null));
        JdbcListenStore.create(dataSource()).write(List.of(late));
        events.add(late);
        try (java.sql.Connection c = dataSource().getConnection()) {
            c.createStatement().executeUpdate("DELETE FROM listen_day_change");  // as an earlier version wrote it
        }

        assertThat(retention.runOnce().daysRolledUp()).as("the late play's day and the day after").isEqualTo(2);

        assertEveryFigureMatchesTheSimulation(ListenStats.create(dataSource()));
        assertThat(rows("listen_day_signature")).as("compared once, then forgotten").isZero();
        assertThat(rows("listen_day_change")).as("every mark settled").isZero();
        assertThat(retention.runOnce().daysRolledUp()).as("nothing left to rebuild").isZero();
    }

    @Test
    void aRunWithNothingChangedReadsNoKeptEventAndLeavesNoMark() throws Exception {
        Instant later = LAST_DAY.plusDays(2).atStartOfDay(ZoneOffset.UTC).toInstant();
        retentionAt(later, Duration.ofDays(90)).runOnce();
        assertThat(rows("listen_day_change")).as("the marks of every rolled-up day settled").isZero();
        FaultInjectingDataSource recording = new FaultInjectingDataSource(dataSource());
        ListenRetention again = retentionAt(recording.dataSource(), later, Duration.ofDays(90));

        assertThat(again.runOnce()).isEqualTo(new RetentionResult(0, 0));

        assertThat(recording.executedSql()).as("no statement reads kept events beyond one row")
                .filteredOn(sql -> sql.contains("FROM listen_event") && !sql.contains("LIMIT 1")
                        && !sql.startsWith("DELETE") && !sql.contains("WHERE 1 = 0"))
                .isEmpty();
    }

    @Test
    void aFormerSketchWhoseEventsAreGoneCountsApartFromTodaysSketches() throws Exception {
        retentionAt(LAST_DAY.plusDays(6).atStartOfDay(ZoneOffset.UTC).toInstant(), Duration.ofDays(1)).runOnce();
        ListenStats stats = ListenStats.create(dataSource());
        long dayThree = stats.uniqueListeners(null, DAY_2.plusDays(1), DAY_2.plusDays(1));
        storeFormerSketch(DAY_2, 5);

        assertThat(stats.uniqueListeners(null, DAY_2, DAY_2.plusDays(1))).as("the two estimates added")
                .isEqualTo(dayThree + 5);
    }

    @Test
    void lateEventsLateListeningTimeAndDeletionsOnARolledUpDayAreRepairedExactly() throws Exception {
        Instant later = LAST_DAY.plusDays(2).atStartOfDay(ZoneOffset.UTC).toInstant();
        ListenRetention retention = retentionAt(later, Duration.ofDays(90));
        retention.runOnce();
        JdbcListenStore store = JdbcListenStore.create(dataSource());

        // On DAY_2: one late play and one deleted play (the per-day count stays the same), and a duration reported late.
        ListenEvent late = new ListenEvent(UUID.randomUUID(), 1, DAY_2.atStartOfDay(ZoneOffset.UTC).toInstant()
                .plusSeconds(40_000), "listener-late", "ua", null, 5_000, null, new ClientInfo(false, "VLC", null));
        store.write(List.of(late));
        events.add(late);
        ListenEvent deleted = events.stream().filter(e -> e.occurredAt().atZone(ZoneOffset.UTC).toLocalDate()
                .equals(DAY_2) && e.sourceId() == 1 && e != late).findFirst().orElseThrow();
        try (java.sql.Connection c = dataSource().getConnection();
             java.sql.PreparedStatement delete = c.prepareStatement("DELETE FROM listen_event WHERE listen_id = ?")) {
            io.listenlog.jdbc.internal.Vendor.of(c).bindListenId(delete, 1, deleted.listenId());
            assertThat(delete.executeUpdate()).isEqualTo(1);
        }
        events.remove(deleted);
        ListenEvent growing = events.stream().filter(e -> e.occurredAt().atZone(ZoneOffset.UTC).toLocalDate()
                .equals(DAY_1) && e.durationSeconds() != null && e.client() != null && !e.client().bot())
                .findFirst().orElseThrow();
        int longer = growing.durationSeconds() + 30_000;  // now reaches into DAY_2
        assertThat(store.updateDurations(List.of(new io.listenlog.core.ListenProgress(growing.listenId(), longer))))
                .isEmpty();
        events.set(events.indexOf(growing), new ListenEvent(growing.listenId(), growing.sourceId(),
                growing.occurredAt(), growing.ipHash(), growing.userAgent(), growing.referrer(), longer,
                growing.extra(), growing.client()));

        RetentionResult repaired = retention.runOnce();

        assertThat(repaired.daysRolledUp()).as("DAY_1, DAY_2 and the day after each").isEqualTo(3);
        assertThat(repaired.eventsDeleted()).isZero();
        assertEveryFigureMatchesTheSimulation(ListenStats.create(dataSource()));
        assertThat(retention.runOnce().daysRolledUp()).as("nothing changed since").isZero();
    }

    @Test
    void aRepairBesideADayWhoseRawEventsAreDeletedKeepsTheSessionsThatReachIntoIt() {
        // The cutoff falls at 23:00 of DAY_1 + 6: that day's listens which ended before it are deleted, and
        // DAY_1 + 7 is the first day a repair may roll up again.
        LocalDate repaired = DAY_1.plusDays(7);
        Instant later = repaired.plusDays(5).atStartOfDay(ZoneOffset.UTC).toInstant().minus(Duration.ofHours(1));
        ListenRetention retention = retentionAt(later, Duration.ofDays(5));
        assertThat(retention.runOnce().eventsDeleted()).isPositive();

        ListenEvent late = new ListenEvent(UUID.randomUUID(), 2, repaired.atStartOfDay(ZoneOffset.UTC).toInstant()
                .plusSeconds(50_000), "listener-late", "ua", null, 900, null, new ClientInfo(false, "VLC", null));
        JdbcListenStore.create(dataSource()).write(List.of(late));
        events.add(late);
        assertThat(retention.runOnce().daysRolledUp()).as("the late play's day and the day after").isEqualTo(2);

        assertEveryFigureMatchesTheSimulation(ListenStats.create(dataSource()));
        List<DailyAudience> day = ListenStats.create(dataSource()).audience(2, repaired, repaired);
        assertDay(day.get(0), simulate(2L, repaired.atStartOfDay(ZoneOffset.UTC).toInstant(), 86_400, 60));
    }

    @Test
    void statsWithAnotherMinimumThanTheRollupsComputeFromTheRawEvents() {
        retentionAt(LAST_DAY.plusDays(2).atStartOfDay(ZoneOffset.UTC).toInstant(), Duration.ofDays(90)).runOnce();
        ListenStats every = ListenStats.builder(dataSource()).minimumListen(Duration.ZERO).build();

        assertDay(every.audience(null, DAY_2, DAY_2).get(0),
                simulate(null, DAY_2.atStartOfDay(ZoneOffset.UTC).toInstant(), 86_400, 0));
    }

    @Test
    void aDaysFiguresNeverDependOnTheRangeAsked() {
        ListenStats stats = ListenStats.builder(dataSource()).maxListenDuration(Duration.ofHours(1)).build();
        for (Long source : java.util.Arrays.asList(null, 2L)) {
            List<DailyAudience> range = stats.audience(source, DAY_1, LAST_DAY);
            for (int i = 0; i < DAYS; i += 3) {
                LocalDate day = DAY_1.plusDays(i);
                assertThat(stats.audience(source, day, day)).as("%s alone and within the month", day)
                        .containsExactly(range.get(i));
            }
        }
    }

    @Test
    void rollupsMadeWithTheStatsDefinitionGiveTheSameFiguresAsTheRawEvents() {
        AudienceDefinition twoHours = new AudienceDefinition(Duration.ofMinutes(1), Duration.ofHours(2));
        ListenStats stats = ListenStats.builder(dataSource()).audience(twoHours).build();
        List<DailyAudience> raw = stats.audience(null, DAY_1, LAST_DAY);
        List<DailyAudience> rawOfOne = stats.audience(3L, DAY_1, LAST_DAY);

        Instant later = LAST_DAY.plusDays(6).atStartOfDay(ZoneOffset.UTC).toInstant();
        assertThat(ListenRetention.builder(dataSource()).retention(Duration.ofDays(1)).audience(twoHours)
                .clock(java.time.Clock.fixed(later, ZoneOffset.UTC)).build().runOnce().eventsDeleted())
                .isEqualTo(events.size());

        java.util.Comparator<Double> close = (a, b) -> Math.abs(a - b) < 1e-9 ? 0 : Double.compare(a, b);
        assertThat(stats.audience(null, DAY_1, LAST_DAY)).usingRecursiveComparison()
                .withComparatorForType(close, Double.class).isEqualTo(raw);
        assertThat(stats.audience(3L, DAY_1, LAST_DAY)).usingRecursiveComparison()
                .withComparatorForType(close, Double.class).isEqualTo(rawOfOne);
        assertThat(stats.audienceDefinition()).isEqualTo(twoHours);
    }

    @Test
    void theMethodologyStatesTheSettingsItWasComputedWith() {
        assertThat(ListenStats.create(dataSource()).methodology(Duration.ofDays(90), true))
                .contains("lasting at least 1 minute", "Raw listens are kept 90 days", "a person is counted once per day")
                .contains("Open Podcast Analytics Working Group");
        assertThat(ListenStats.builder(dataSource()).minimumListen(Duration.ZERO).build()
                .methodology(Duration.ofDays(760), false))
                .contains("lasting any length", "kept 760 days").doesNotContain("rotate daily")
                .contains("the hashed address together with the user agent").doesNotContain("Countries");
        assertThat(ListenStats.create(dataSource()).methodology(Duration.ofDays(90), true,
                "DB-IP Lite (CC BY 4.0, db-ip.com) dbip-country.mmdb (country ipvAll), built 2026-06-01"))
                .contains("Countries and regions are looked up from the client address in DB-IP Lite (CC BY 4.0,"
                        + " db-ip.com) dbip-country.mmdb (country ipvAll), built 2026-06-01 before the address is"
                        + " hashed");
    }

    @Test
    void badArgumentsSayWhatIsWrong() {
        ListenStats stats = ListenStats.create(dataSource());
        assertThatThrownBy(() -> stats.audience(null, DAY_1, DAY_1.plusDays(400)))
                .hasMessageContaining("longer than 400 days; ask for it in parts");
        assertThatThrownBy(() -> stats.audience(0L, DAY_1, DAY_1)).hasMessageContaining("sourceId must be a positive");
        assertThatThrownBy(() -> ListenStats.builder(dataSource()).minimumListen(Duration.ofSeconds(-1)))
                .hasMessage("minimumListen must not be negative, got PT-1S");
    }
}
