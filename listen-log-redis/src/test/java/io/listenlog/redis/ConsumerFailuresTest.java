package io.listenlog.redis;

import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.listenlog.core.ListenEvent;
import io.listenlog.core.ListenLogger;
import io.listenlog.core.ListenRequest;
import io.listenlog.core.ListenStore;
import io.listenlog.core.ListenStoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A failing store means the same on the direct path and through Redis, the consumer survives what a store or Redis
 * throws at it, and it checks what it reads as the logger checks what it captures.
 */
class ConsumerFailuresTest extends RedisTestBase {
    private static final long POISONED_SOURCE = 13;

    /** Keeps what it is given, but throws {@code failure} for any batch holding a play of the poisoned source. */
    private static final class PoisonedStore implements ListenStore {
        final List<ListenEvent> written = new CopyOnWriteArrayList<>();
        private final Function<List<ListenEvent>, RuntimeException> failure;

        PoisonedStore(Function<List<ListenEvent>, RuntimeException> failure) {
            this.failure = failure;
        }

        @Override
        public void write(List<ListenEvent> batch) {
            if (batch.stream().anyMatch(e -> e.sourceId() == POISONED_SOURCE)) {
                throw failure.apply(batch);
            }
            written.addAll(batch);
        }
    }

    private static Function<List<ListenEvent>, RuntimeException> failureOf(String kind) {
        return batch -> switch (kind) {
            case "illegal-argument" -> new IllegalArgumentException("a value the store cannot take (test)");
            case "date-time" -> new DateTimeException("a time the store cannot take (test)");
            case "arithmetic" -> new ArithmeticException("an overflow (test)");
            case "class-cast" -> new ClassCastException("a type the store cannot take (test)");
            case "index-outside-the-batch" -> ListenStoreException.rejected("rejected (test)", null, batch.size() + 7);
            default -> ListenStoreException.rejected("rejected, naming none (test)", null);
        };
    }

    private static List<ListenRequest> requests() {
        List<ListenRequest> requests = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            requests.add(ListenRequest.builder(i % 10 == 3 ? POISONED_SOURCE : 1 + i % 3).clientIp("192.0.2." + i)
                    .userAgent("VLC/3.0.20").build());
        }
        return requests;
    }

    @ParameterizedTest
    @ValueSource(strings = {"illegal-argument", "date-time", "arithmetic", "class-cast", "index-outside-the-batch",
            "naming-none"})
    void aStoreFailureIsAccountedAlikeOnTheDirectPathAndThroughRedis(String kind) throws Exception {
        PoisonedStore direct = new PoisonedStore(failureOf(kind));
        try (ListenLogger logger = ListenLogger.builder().store(direct).anonymizer(RedisTarget.ANONYMIZER)
                .maxBatchDelay(Duration.ofMillis(5)).closeOnShutdown(false).build()) {
            requests().forEach(logger::log);
            assertThat(logger.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(logger.metrics().rejected()).as("direct: rejected").isEqualTo(4);
            assertThat(logger.metrics().written()).as("direct: written").isEqualTo(36);
        }

        PoisonedStore behindRedis = new PoisonedStore(failureOf(kind));
        RedisStreamListenStore publisher = closeLater(target.publisher().build());
        ListenLogger logger = closeLater(target.logger(publisher));
        requests().forEach(logger::log);
        assertThat(logger.flush(Duration.ofSeconds(10))).isTrue();
        ListenStreamConsumer consumer = closeLater(target.consumer(behindRedis).build().start());

        await().atMost(Duration.ofSeconds(20)).until(() -> consumer.metrics().deadLettered() == 4
                && consumer.metrics().pending() == 0);
        assertThat(behindRedis.written).hasSize(36).noneMatch(e -> e.sourceId() == POISONED_SOURCE);
        assertThat(consumer.metrics().playsWritten()).isEqualTo(36);
        assertThat(consumer.isRunning()).as("the worker survives").isTrue();
    }

    @Test
    void aLostAcknowledgementAfterACommitIsRetriedAloneNeverTheWrite() throws Exception {
        java.util.concurrent.atomic.AtomicInteger writes = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean killed = new java.util.concurrent.atomic.AtomicBoolean();
        ListenStore committingThenLosingRedis = batch -> {
            target.jdbcStore.write(batch);
            writes.incrementAndGet();
            if (killed.compareAndSet(false, true)) {
                // The commit is done; now every other connection to Redis drops, the consumer's included.
                target.redis().clientKill(io.lettuce.core.KillArgs.Builder.typeNormal().skipme());
            }
        };
        RedisStreamListenStore publisher = closeLater(target.publisher().build());
        ListenLogger logger = closeLater(target.logger(publisher));
        for (int i = 0; i < 50; i++) {
            logger.log(ListenRequest.builder(1 + i % 3).clientIp("192.0.2.1").build());
        }
        assertThat(logger.flush(Duration.ofSeconds(10))).isTrue();
        ListenStreamConsumer consumer = closeLater(target.consumer(committingThenLosingRedis).build().start());

        await().atMost(Duration.ofSeconds(30)).until(() -> {
            ListenStreamConsumer.Metrics m = consumer.metrics();
            return m.pending() == 0 && m.lag() == 0 && target.storedCount() == 50;
        });
        assertThat(killed).isTrue();
        assertThat(consumer.metrics().playsWritten()).as("counted once").isEqualTo(50);
        assertThat(writes.get()).as("the committed batch is not written again").isEqualTo(1);
        assertThat(consumer.metrics().failures()).as("the acknowledgement's retries").isPositive();
    }

    @Test
    void anInterruptedWorkerStopsInsteadOfSpinningAndClosesAtOnce() throws Exception {
        AtomicReference<Thread> worker = new AtomicReference<>();
        ListenStreamConsumer consumer = target.consumer(target.jdbcStore).threadFactory(runnable -> {
            Thread thread = new Thread(runnable, "interrupted-consumer");
            worker.set(thread);
            return thread;
        }).build().start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(consumer::isRunning);
            worker.get().interrupt();
            await().atMost(Duration.ofSeconds(10)).until(() -> !consumer.isRunning());
            assertThat(worker.get().isAlive()).isFalse();
        } finally {
            assertThat(consumer.close(Duration.ofSeconds(10))).isTrue();
        }
    }

    private void entry(Map<String, String> fields) {
        Map<String, String> body = new HashMap<>(Map.of("v", "1", "id", UUID.randomUUID().toString()));
        body.putAll(fields);
        target.redis().xadd(target.stream, body);
    }

    @Test
    void entriesNoLoggerCouldHaveWrittenAreDeadLetteredAndDurationsAreCutToTheCap() throws Exception {
        RedisStreamListenStore publisher = closeLater(target.publisher().build());
        ListenEvent play = new ListenEvent(UUID.randomUUID(), 1, Instant.now(),
                RedisTarget.ANONYMIZER.anonymize("192.0.2.9"), "VLC/3.0.20", null, null, null);
        publisher.write(List.of(play));
        entry(Map.of("t", "u", "id", play.listenId().toString(), "sec", "2147483647"));
        String at = Instant.now().toString();
        entry(Map.of("t", "u", "sec", "5", "n", "-1000000"));
        entry(Map.of("t", "p", "src", "1", "at", at, "ip", "203.0.113.9"));
        entry(Map.of("t", "p", "src", "1", "at", at, "ua", "x".repeat(1_000_000)));
        entry(Map.of("t", "p", "src", "-4", "at", at));

        ListenStreamConsumer consumer = closeLater(target.consumer(target.jdbcStore).build().start());
        await().atMost(Duration.ofSeconds(20)).until(() -> consumer.metrics().deadLettered() == 4
                && consumer.metrics().pending() == 0 && consumer.metrics().progressApplied() == 1);

        assertThat(target.storedCount()).isEqualTo(1);
        assertThat(target.durationOf(play.listenId())).as("cut to 24 h").isEqualTo(86_400);
        List<StreamMessage<String, String>> dead = target.redis().xrange(target.stream + ":dead",
                Range.create("-", "+"));
        assertThat(dead).extracting(m -> m.getBody().get("reason")).allMatch(r -> r.startsWith("malformed entry:"))
                .anyMatch(r -> r.contains("put-backs")).anyMatch(r -> r.contains("an address"))
                .anyMatch(r -> r.contains("ua is longer")).anyMatch(r -> r.contains("src=-4"));
    }

    @Test
    void theDeadLetterStreamKeepsItsCapAndCountsWhatItRemoved() throws Exception {
        for (int i = 0; i < 5; i++) {
            entry(Map.of("t", "x"));
        }
        ListenStreamConsumer consumer = closeLater(target.consumer(target.jdbcStore).deadLetterMaxLength(3).build()
                .start());
        await().atMost(Duration.ofSeconds(20)).until(() -> consumer.metrics().deadLettered() == 5);

        assertThat(target.redis().xlen(target.stream + ":dead")).isEqualTo(3);
        assertThat(consumer.metrics().deadLettersTrimmed()).isEqualTo(2);
        assertThat(consumer.metrics().deadLetterLength()).isEqualTo(3);
    }
}
