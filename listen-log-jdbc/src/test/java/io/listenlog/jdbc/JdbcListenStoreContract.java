package io.listenlog.jdbc;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.listenlog.core.ClientInfo;
import io.listenlog.core.ListenEvent;
import io.listenlog.core.ListenLogMetrics;
import io.listenlog.core.ListenLogger;
import io.listenlog.core.ListenProgress;
import io.listenlog.core.ListenRequest;
import io.listenlog.core.ListenStoreException;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What {@link JdbcListenStore} and {@link ListenLogMigrations} promise, run against every supported database. Each
 * test gets its own database, schema or file (see {@link IsolatedDatabase}), dropped afterwards.
 */
abstract class JdbcListenStoreContract extends DatabaseTest {

    private static final long UNKNOWN_SOURCE = 999;
    private static final ObjectMapper JSON = new ObjectMapper();

    // ---- migrations ------------------------------------------------------------------------------------------------

    @Test
    void hostFlywayRunsListenLogV7AfterTheHostsOwnMigrations() {
        Flyway host = Flyway.configure().dataSource(dataSource())
                .locations(HOST_LOCATION, ListenLogMigrations.location(dataSource())).load();

        host.migrate();

        assertThat(applied(host)).containsExactly("1 SUCCESS", "7.0 SUCCESS", "7.1 SUCCESS", "7.1.1 SUCCESS", "7.2 SUCCESS",
                "7.3 SUCCESS", "7.4 SUCCESS", "7.5 SUCCESS", "7.6 SUCCESS", "7.7 SUCCESS");
        assertThat(tableExists(ListenLogMigrations.HISTORY_TABLE)).isFalse();
        assertThat(listenCounts()).containsExactlyEntriesOf(counts(0, 0, 0));
        JdbcListenStore.create(dataSource()).write(List.of(event(2), event(2)));
        assertThat(listenCounts()).containsExactlyEntriesOf(counts(0, 2, 0));
    }

    @Test
    void libraryMigrationKeepsItsOwnHistoryBesideTheHosts() {
        Flyway host = hostFlyway();
        host.migrate();

        ListenLogMigrations.migrate(dataSource());
        ListenLogMigrations.migrate(dataSource());

        assertThat(applied(host)).containsExactly("1 SUCCESS");
        Flyway library = Flyway.configure().dataSource(dataSource()).table(ListenLogMigrations.HISTORY_TABLE)
                .locations(ListenLogMigrations.location(dataSource())).load();
        assertThat(applied(library)).containsExactly("0 BASELINE", "7.0 SUCCESS", "7.1 SUCCESS", "7.1.1 SUCCESS", "7.2 SUCCESS",
                "7.3 SUCCESS", "7.4 SUCCESS", "7.5 SUCCESS", "7.6 SUCCESS", "7.7 SUCCESS");
        assertThat(listenCounts()).containsExactlyEntriesOf(counts(0, 0, 0));
        JdbcListenStore.create(dataSource()).write(List.of(event(3)));
        assertThat(listenCounts()).containsExactlyEntriesOf(counts(0, 0, 1));
    }

    @Test
    void migrationWithoutRadioSourceTellsTheHostToCreateItFirst() {
        assertThatThrownBy(() -> ListenLogMigrations.migrate(dataSource()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("radio_source")
                .hasMessageContaining("host must create radio_source first");
        assertThat(tableExists("listen_event")).isFalse();
        assertThat(tableExists(ListenLogMigrations.HISTORY_TABLE)).isFalse();
    }

    @Test
    void storeWithoutTheMigrationSaysHowToApplyIt() {
        hostFlyway().migrate();

        assertThatThrownBy(() -> JdbcListenStore.create(dataSource()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("listen_event")
                .hasMessageContaining("ListenLogMigrations.migrate(dataSource)");
    }

    // ---- atomic batches --------------------------------------------------------------------------------------------

    enum Fault {
        /** The events' insert fails after the counter updates ran. */
        INSERT(faulty -> faulty.failNextBatches(1)),
        /** The connection is lost at commit, after every statement ran. */
        COMMIT(faulty -> faulty.failNextCommits(1));

        final Consumer<FaultInjectingDataSource> arm;

        Fault(Consumer<FaultInjectingDataSource> arm) {
            this.arm = arm;
        }
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void aBatchThatFailsMidwayLeavesNoRowsAndNoCounts(Fault fault) {
        migrated();
        FaultInjectingDataSource faulty = new FaultInjectingDataSource(dataSource());
        JdbcListenStore store = JdbcListenStore.create(faulty.dataSource());
        List<ListenEvent> batch = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            batch.add(event(1 + i % 3));
        }
        fault.arm.accept(faulty);

        assertThatThrownBy(() -> store.write(batch))
                .isInstanceOfSatisfying(ListenStoreException.class, e -> assertThat(e.isTransient()).isTrue());

        assertThat(faulty.injectedFailures()).isEqualTo(1);
        assertThat(eventsPerSource()).containsExactlyEntriesOf(counts(0, 0, 0));
        assertThat(listenCounts()).containsExactlyEntriesOf(counts(0, 0, 0));

        store.write(batch);

        assertThat(eventsPerSource()).containsExactlyEntriesOf(counts(10, 10, 10));
        assertThat(listenCounts()).containsExactlyEntriesOf(counts(10, 10, 10));
    }

    @Test
    void anErrorInsideTheWriteRollsBackCountersAndRows() {
        migrated();
        FaultInjectingDataSource faulty = new FaultInjectingDataSource(dataSource());
        JdbcListenStore store = JdbcListenStore.create(faulty.dataSource());
        List<ListenEvent> batch = List.of(event(1), event(2), event(3));
        faulty.errNextBatches(1);

        assertThatThrownBy(() -> store.write(batch)).isInstanceOf(NoClassDefFoundError.class);

        assertThat(eventsPerSource()).containsExactlyEntriesOf(counts(0, 0, 0));
        assertThat(listenCounts()).as("no counter without its row").containsExactlyEntriesOf(counts(0, 0, 0));
        store.write(batch);
        assertThat(listenCounts()).containsExactlyEntriesOf(counts(1, 1, 1));
    }

    @Test
    void aTimeTheDatabaseCannotStoreCostsOnlyItsOwnEvent() {
        migrated();
        JdbcListenStore store = JdbcListenStore.create(dataSource());
        ListenEvent farFuture = new ListenEvent(UUID.randomUUID(), 2, Instant.parse("+10000-01-01T00:00:00Z"), null, null, null, null,
                null);
        ListenEvent farPast = new ListenEvent(UUID.randomUUID(), 3, Instant.parse("-0001-06-01T00:00:00Z"), null, null, null, null, null);
        List<ListenEvent> batch = List.of(event(1), farFuture, event(2), farPast, event(3));

        assertThatThrownBy(() -> store.write(batch))
                .isInstanceOfSatisfying(ListenStoreException.class, e -> {
                    assertThat(e.isTransient()).isFalse();
                    assertThat(e.rejectedIndexes()).containsExactly(1, 3);
                });

        assertThat(eventsPerSource()).containsExactlyEntriesOf(counts(0, 0, 0));
        store.write(List.of(event(1), event(2), event(3)));
        assertThat(listenCounts()).as("the store keeps working").containsExactlyEntriesOf(counts(1, 1, 1));
    }

    @Test
    void rowValuesTheDriverQuotesInItsMessagesNeverReachALogLine() throws Exception {
        migrated();
        String marker = "Marker-UA/4242 (private)";
        try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE UNIQUE INDEX listen_event_ua_test ON listen_event (user_agent)");
        }
        JdbcListenStore store = JdbcListenStore.create(dataSource());
        store.write(List.of(new ListenEvent(UUID.randomUUID(), 1, Instant.now(), null, marker, null, null, null)));

        assertThatThrownBy(() -> store.write(List.of(new ListenEvent(UUID.randomUUID(), 2, Instant.now(), null, marker, null, null, null))))
                .isInstanceOfSatisfying(ListenStoreException.class, e -> {
                    assertThat(e.isTransient()).isFalse();
                    assertThat(e.getMessage()).doesNotContain("Marker-UA");
                });

        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream originalErr = System.err;
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try (ListenLogger logger = logger(store)) {
            logger.log(ListenRequest.builder(3).userAgent(marker).build());
            assertThat(logger.flush(WAIT)).isTrue();
            assertThat(logger.metrics().rejected()).isEqualTo(1);
        } finally {
            System.setErr(originalErr);
        }
        assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8))
                .contains("rejected").doesNotContain("Marker-UA");
    }

    // ---- exactly once ----------------------------------------------------------------------------------------------

    @Test
    void aCommitWhoseAcknowledgementIsLostIsRetriedIntoNoDuplicate() {
        migrated();
        FaultInjectingDataSource faulty = new FaultInjectingDataSource(dataSource());
        JdbcListenStore store = JdbcListenStore.create(faulty.dataSource());
        faulty.loseNextCommitAcknowledgements(1);
        ListenLogger logger = logger(store);
        for (int i = 0; i < 30; i++) {
            logger.log(request(1 + i % 3));
        }

        assertThat(logger.flush(WAIT)).isTrue();

        assertThat(faulty.injectedFailures()).isEqualTo(1);
        assertThat(logger.metrics().retries()).as("the lost acknowledgement was retried").isPositive();
        assertThat(logger.metrics().written()).isEqualTo(30);
        assertThat(eventsPerSource()).containsExactlyEntriesOf(counts(10, 10, 10));
        assertThat(listenCounts()).containsExactlyEntriesOf(counts(10, 10, 10));
    }

    @Test
    void aBatchWrittenTwiceOrWithARepeatedIdIsStoredOnce() {
        migrated();
        JdbcListenStore store = JdbcListenStore.create(dataSource());
        ListenEvent repeated = event(2);
        List<ListenEvent> batch = List.of(event(1), repeated, repeated, event(3));
        store.write(batch);
        store.write(batch);
        store.write(List.of(repeated, event(2)));

        assertThat(eventsPerSource()).containsExactlyEntriesOf(counts(1, 2, 1));
        assertThat(listenCounts()).containsExactlyEntriesOf(counts(1, 2, 1));
        assertThat(longs("SELECT 1, COUNT(DISTINCT listen_id) FROM listen_event")).containsEntry(1L, 4L);
    }

    @Test
    void twoInstancesWritingTheSameBatchAtOnceStoreItOnce() throws Exception {
        migrated();
        List<JdbcListenStore> instances = List.of(JdbcListenStore.create(pool()), JdbcListenStore.create(pool()));
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                List<ListenEvent> batch = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    batch.add(event(1 + i % 3));
                }
                java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
                List<Future<?>> writes = new ArrayList<>();
                for (JdbcListenStore instance : instances) {
                    writes.add(threads.submit(() -> {
                        together.await();
                        writeRetryingTransientFailures(instance, batch);
                        return null;
                    }));
                }
                for (Future<?> write : writes) {
                    write.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
                }
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(eventsPerSource()).containsExactlyEntriesOf(counts(80, 80, 80));
        assertThat(listenCounts()).containsExactlyEntriesOf(counts(80, 80, 80));
    }

    @Test
    void aRetryAfterTheServerDroppedItsConnectionsStoresNothingTwice() throws SQLException {
        migrated();
        JdbcListenStore store = JdbcListenStore.create(dataSource());
        List<ListenEvent> batch = List.of(event(1), event(2), event(3));
        store.write(batch);
        assertThat(db().killServerConnections()).isPositive();
        writeRetryingTransientFailures(store, batch);
        assertThat(eventsPerSource()).containsExactlyEntriesOf(counts(1, 1, 1));
        assertThat(listenCounts()).containsExactlyEntriesOf(counts(1, 1, 1));
    }

    @Test
    void v72GivesEveryExistingRowItsOwnIdSoV71HostsUpgradeInPlace() throws SQLException {
        hostFlyway().migrate();
        Flyway.configure().dataSource(dataSource()).locations(ListenLogMigrations.location(dataSource()))
                .table(ListenLogMigrations.HISTORY_TABLE).baselineOnMigrate(true).baselineVersion("0")
                .target("7.1.1").load().migrate();
        try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
            for (int i = 0; i < 5; i++) {
                s.executeUpdate("INSERT INTO listen_event (source_id, occurred_at) VALUES (1, "
                        + (db() instanceof SqliteDatabase ? "'2025-06-01T10:00:00.000000Z'" : "CURRENT_TIMESTAMP") + ")");
            }
        }
        ListenLogMigrations.migrate(dataSource());
        assertThat(longs("SELECT 1, COUNT(DISTINCT listen_id) FROM listen_event")).containsEntry(1L, 5L);
        JdbcListenStore.create(dataSource()).write(List.of(event(1)));
        assertThat(eventsPerSource()).containsEntry(1L, 6L);
    }

    // ---- listening time --------------------------------------------------------------------------------------------

    @Test
    void listeningTimeKeepsTheLargestValueAndNamesUnknownListens() {
        migrated();
        JdbcListenStore store = JdbcListenStore.create(dataSource());
        ListenEvent a = event(1);
        ListenEvent b = event(2);
        store.write(List.of(a, b));
        java.util.UUID never = java.util.UUID.randomUUID();

        assertThat(store.updateDurations(List.of(new ListenProgress(a.listenId(), 90),
                new ListenProgress(b.listenId(), 30), new ListenProgress(never, 10)))).containsExactly(never);
        assertThat(store.updateDurations(List.of(new ListenProgress(a.listenId(), 45)))).isEmpty();

        assertThat(longs("SELECT source_id, duration_seconds FROM listen_event")).isEqualTo(Map.of(1L, 90L, 2L, 30L));
        assertThat(listenCounts()).as("no update counts as a play").containsExactlyEntriesOf(counts(1, 1, 0));
    }

    @Test
    void progressThroughTheLoggerFollowsItsListen() {
        migrated();
        ListenLogger logger = logger(JdbcListenStore.create(dataSource()));
        ListenRequest play = request(3);
        logger.log(play);
        logger.progress(play.listenId(), java.time.Duration.ofSeconds(61));
        logger.progress(java.util.UUID.randomUUID(), java.time.Duration.ofSeconds(5));
        assertThat(logger.flush(WAIT)).isTrue();
        assertThat(longs("SELECT source_id, duration_seconds FROM listen_event")).isEqualTo(Map.of(3L, 61L));
        assertThat(logger.metrics().progress()).extracting(ListenLogMetrics.Progress::applied,
                ListenLogMetrics.Progress::unknown).containsExactly(1L, 1L);
    }

    private static void writeRetryingTransientFailures(JdbcListenStore store, List<ListenEvent> batch) {
        for (int attempt = 1; ; attempt++) {
            try {
                store.write(batch);
                return;
            } catch (ListenStoreException e) {
                if (!e.isTransient() || attempt == 50) {
                    throw e;
                }
            }
        }
    }

    // ---- several app instances -------------------------------------------------------------------------------------

    @Test
    void countersMatchEventsWhenTwoLoggersWriteConcurrently() throws Exception {
        migrated();
        List<ListenLogger> loggers = List.of(
                logger(JdbcListenStore.create(pool())), logger(JdbcListenStore.create(pool())));
        int threads = 4;
        int perThread = 300;
        Map<Long, Long> expected = counts(0, 0, 0);
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < perThread; i++) {
                expected.merge(source(t, i), 1L, Long::sum);
            }
        }

        ExecutorService writers = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                ListenLogger logger = loggers.get(t % 2);
                done.add(writers.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        assertThat(logger.log(request(source(thread, i)))).isTrue();
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            writers.shutdown();
        }
        for (ListenLogger logger : loggers) {
            assertThat(logger.flush(WAIT)).isTrue();
        }

        assertThat(loggers.stream().mapToLong(l -> l.metrics().written()).sum()).isEqualTo((long) threads * perThread);
        assertThat(loggers).allSatisfy(l -> assertThat(l.metrics().rejected()).isZero());
        assertThat(eventsPerSource()).containsExactlyEntriesOf(expected);
        assertThat(listenCounts()).containsExactlyEntriesOf(expected);
    }

    private static long source(int thread, int i) {
        return 1 + (thread * 7L + i * (thread + 1L)) % 3;
    }

    // ---- poison events ---------------------------------------------------------------------------------------------

    @Test
    void eventsOfAnUnknownSourceAreRejectedByIndexAndNothingIsWritten() {
        migrated();
        JdbcListenStore store = JdbcListenStore.create(dataSource());
        List<ListenEvent> batch = List.of(event(1), event(UNKNOWN_SOURCE), event(2), event(UNKNOWN_SOURCE), event(3));

        assertThatThrownBy(() -> store.write(batch))
                .isInstanceOfSatisfying(ListenStoreException.class, e -> {
                    assertThat(e.isTransient()).isFalse();
                    assertThat(e.rejectedIndexes()).containsExactly(1, 3);
                    assertThat(e).hasMessageContaining(String.valueOf(UNKNOWN_SOURCE));
                });
        assertThat(eventsPerSource()).containsExactlyEntriesOf(counts(0, 0, 0));
        assertThat(listenCounts()).containsExactlyEntriesOf(counts(0, 0, 0));
    }

    @Test
    void aPoisonEventIsIsolatedAndTheRestOfItsBatchWritten() {
        migrated();
        ListenLogger logger = logger(JdbcListenStore.create(dataSource()));
        for (int i = 0; i < 9; i++) {
            logger.log(request(1 + i % 3));
            if (i == 4) {
                logger.log(request(UNKNOWN_SOURCE));
            }
        }

        assertThat(logger.flush(WAIT)).isTrue();

        ListenLogMetrics metrics = logger.metrics();
        assertThat(metrics.rejected()).isEqualTo(1);
        assertThat(metrics.written()).isEqualTo(9);
        assertThat(eventsPerSource()).containsExactlyEntriesOf(counts(3, 3, 3));
        assertThat(listenCounts()).containsExactlyEntriesOf(counts(3, 3, 3));
    }

    // ---- outages ---------------------------------------------------------------------------------------------------

    @Test
    void anUnreachableDatabaseDelaysWritesWithoutLosingOrDuplicatingThem() {
        migrated();
        FaultInjectingDataSource faulty = new FaultInjectingDataSource(dataSource());
        ListenLogger logger = logger(JdbcListenStore.create(faulty.dataSource()));
        logRoundRobin(logger, 30);
        assertThat(logger.flush(WAIT)).isTrue();

        faulty.unreachable(true);
        logRoundRobin(logger, 30);
        await().atMost(WAIT).until(() -> logger.metrics().retries() >= 2);
        assertThat(logger.metrics().pending()).isEqualTo(30);
        assertThat(eventsPerSource()).containsExactlyEntriesOf(counts(10, 10, 10));

        faulty.failNextCommits(1);  // and the first write after the outage loses its commit
        faulty.unreachable(false);
        assertThat(logger.flush(WAIT)).isTrue();

        assertThat(faulty.faultsLeft()).isFalse();
        ListenLogMetrics metrics = logger.metrics();
        assertThat(metrics.written()).isEqualTo(60);
        assertThat(metrics.rejected() + metrics.abandoned() + metrics.dropped()).isZero();
        assertThat(eventsPerSource()).containsExactlyEntriesOf(counts(20, 20, 20));
        assertThat(listenCounts()).containsExactlyEntriesOf(counts(20, 20, 20));
    }

    @Test
    void killedServerConnectionsAreReplacedWithoutLosingOrDuplicatingWrites() throws SQLException {
        migrated();
        ListenLogger logger = logger(JdbcListenStore.create(dataSource()));
        logRoundRobin(logger, 30);
        assertThat(logger.flush(WAIT)).isTrue();

        assertThat(db().killServerConnections()).isPositive();
        logRoundRobin(logger, 30);
        assertThat(logger.flush(WAIT)).isTrue();

        assertThat(logger.metrics().written()).isEqualTo(60);
        assertThat(eventsPerSource()).containsExactlyEntriesOf(counts(20, 20, 20));
        assertThat(listenCounts()).containsExactlyEntriesOf(counts(20, 20, 20));
    }

    // ---- values ----------------------------------------------------------------------------------------------------

    @Test
    void unicodeLargeExtraAndNullFieldsRoundTrip() throws Exception {
        migrated();
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("station", "Ünïcødé Radio 📻 中文");
        extra.put("nothing", null);
        extra.put("nested", Map.of("list", List.of(1, 2.5, true, "ß")));
        for (int i = 0; i < 60; i++) {
            extra.put("key" + i, "é☃".repeat(50));
        }
        ListenEvent full = new ListenEvent(UUID.randomUUID(), 2, Instant.parse("2025-05-01T12:34:56.123456789Z"), "ab".repeat(32),
                "Mozilla/5.0 (X11; Linux) 😀 Ünïcødé 中文", "https://例え.jp/ラジオ/🎵", 3600, extra);
        ListenEvent empty = new ListenEvent(UUID.randomUUID(), 3, Instant.parse("1999-12-31T23:59:59Z"), null, null, null, null, null);
        assertThat(JSON.writeValueAsString(full.extra()).length()).isGreaterThan(6000);

        JdbcListenStore.create(dataSource()).write(List.of(full, empty));

        try (Connection c = dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT source_id, occurred_at, ip, user_agent, referrer, "
                     + "duration_seconds, extra FROM listen_event ORDER BY source_id")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong("source_id")).isEqualTo(2);
            assertThat(db().readOccurredAt(rs, "occurred_at")).isEqualTo(full.occurredAt().truncatedTo(ChronoUnit.MICROS));
            assertThat(rs.getString("ip")).isEqualTo(full.ipHash());
            assertThat(rs.getString("user_agent")).isEqualTo(full.userAgent());
            assertThat(rs.getString("referrer")).isEqualTo(full.referrer());
            assertThat(rs.getInt("duration_seconds")).isEqualTo(3600);
            assertThat(JSON.readTree(rs.getString("extra"))).isEqualTo(JSON.valueToTree(extra));

            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong("source_id")).isEqualTo(3);
            assertThat(db().readOccurredAt(rs, "occurred_at")).isEqualTo(empty.occurredAt());
            assertThat(rs.getString("ip")).isNull();
            assertThat(rs.getString("user_agent")).isNull();
            assertThat(rs.getString("referrer")).isNull();
            assertThat(rs.getObject("duration_seconds")).isNull();
            assertThat(rs.getString("extra")).isNull();
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void theClientClassIsStoredAsTheLoggerClassifiedIt() {
        migrated();
        ListenLogger logger = logger(JdbcListenStore.create(dataSource()));

        logger.log(ListenRequest.of(1, "203.0.113.7", "VLC/3.0.20 LibVLC/3.0.20", null));
        logger.log(ListenRequest.of(2, "203.0.113.8", "Mozilla/5.0 (compatible; Googlebot/2.1;"
                + " +http://www.google.com/bot.html)", null));
        logger.log(ListenRequest.of(3, "203.0.113.9", null, null));
        assertThat(logger.flush(WAIT)).isTrue();
        JdbcListenStore.create(dataSource()).write(List.of(event(1),
                new ListenEvent(UUID.randomUUID(), 2, Instant.now(), null, "x", null, null, null,
                        new ClientInfo(false, "A".repeat(150), "Ünïcødé 📻 device"))));

        assertThat(strings("SELECT source_id, client_class, client_app, client_platform FROM listen_event"))
                .containsExactlyInAnyOrder("1 person VLC media player Other Computer", "1 null null null",
                        "2 person " + "A".repeat(100) + " Ünïcødé 📻 device", "2 bot Googlebot null",
                        "3 bot null null");
    }

    @Test
    void onlyTheAnonymizedAddressIsStored() {
        migrated();
        ListenLogger logger = logger(JdbcListenStore.create(dataSource()));

        logger.log(ListenRequest.of(1, "203.0.113.7", "ua", null));
        assertThat(logger.flush(WAIT)).isTrue();

        List<String> stored = strings("SELECT ip FROM listen_event");
        assertThat(stored).containsExactly(ANONYMIZER.anonymize("203.0.113.7"));
        assertThat(stored.get(0)).doesNotContain("203.0.113");
    }

    @Test
    void theListenerIdentityAndTheCountryAreStoredBesideTheHashAndNeverTheAddress() throws Exception {
        migrated();
        io.listenlog.geoip.MaxMindGeoLookup countries = CountryDatabase.lookup();
        ListenLogger logger = closeAfterTest(ListenLogger.builder().store(JdbcListenStore.create(dataSource()))
                .anonymizer(ANONYMIZER).geoLookup(countries).maxBatchDelay(Duration.ofMillis(5)).build());
        ListenLogger byAddress = closeAfterTest(ListenLogger.builder().store(JdbcListenStore.create(dataSource()))
                .anonymizer(ANONYMIZER).listenerIdentity(io.listenlog.core.ListenerIdentity.ADDRESS)
                .maxBatchDelay(Duration.ofMillis(5)).build());

        logger.log(ListenRequest.of(1, CountryDatabase.FRANCE, "VLC/3.0.20 LibVLC/3.0.20", null));
        logger.log(ListenRequest.of(1, CountryDatabase.FRANCE, "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0", null));
        logger.log(ListenRequest.of(2, CountryDatabase.FRANCE_IPV6, "VLC/3.0.20 LibVLC/3.0.20", null));
        logger.log(ListenRequest.of(2, CountryDatabase.JAPAN, "VLC/3.0.20 LibVLC/3.0.20", null));
        logger.log(ListenRequest.of(3, CountryDatabase.PRIVATE, "VLC/3.0.20 LibVLC/3.0.20", null));
        byAddress.log(ListenRequest.of(3, CountryDatabase.BRAZIL, "VLC/3.0.20 LibVLC/3.0.20", null));
        assertThat(logger.flush(WAIT)).isTrue();
        assertThat(byAddress.flush(WAIT)).isTrue();

        String france = ANONYMIZER.anonymize(CountryDatabase.FRANCE);
        java.security.MessageDigest sha256 = java.security.MessageDigest.getInstance("SHA-256");
        String vlcInFrance = java.util.HexFormat.of().formatHex(sha256.digest((france + "\nVLC/3.0.20 LibVLC/3.0.20")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(strings("SELECT source_id, country, region, listener FROM listen_event WHERE ip = '" + france
                + "'")).containsExactlyInAnyOrder("1 FR null " + vlcInFrance, "1 FR null "
                + java.util.HexFormat.of().formatHex(sha256.digest((france + "\nMozilla/5.0 (X11; Linux x86_64)"
                + " Firefox/140.0").getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        assertThat(strings("SELECT source_id, country, region, CASE WHEN listener IS NULL THEN 'by-address' ELSE"
                + " 'own' END FROM listen_event WHERE ip <> '" + france + "'")).containsExactlyInAnyOrder(
                "2 FR null own", "2 JP null own", "3 null null own", "3 null null by-address");
        List<String> everyColumn = strings("SELECT ip, user_agent, referrer, listener, country, region, extra"
                + " FROM listen_event");
        assertThat(everyColumn).hasSize(6).noneMatch(row -> row.contains("193.51") || row.contains("2a01")
                || row.contains("133.1.") || row.contains("10.0.0") || row.contains("200.160"));
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    private static ListenEvent event(long sourceId) {
        return new ListenEvent(UUID.randomUUID(), sourceId, Instant.now(), null, "test agent", null, null, null);
    }

    private static ListenRequest request(long sourceId) {
        return ListenRequest.of(sourceId, "192.0.2.1", "test agent", "https://example.com/player");
    }

    private static void logRoundRobin(ListenLogger logger, int n) {
        for (int i = 0; i < n; i++) {
            assertThat(logger.log(request(1 + i % 3))).isTrue();
        }
    }

    /** {@code COUNT(*)} of {@code listen_event} rows by {@code radio_source} id. */
    private Map<Long, Long> eventsPerSource() {
        return longs("SELECT r.id, COUNT(e.id) FROM radio_source r LEFT JOIN listen_event e ON e.source_id = r.id "
                + "GROUP BY r.id");
    }
}
