package io.listenlog.core;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Behaviour of the pipeline's queue and writer thread, and of the logger's own API. */
class ListenLoggerTest extends LoggerFixture {

    @Test
    void referrersLoseTheirCredentialsWhateverTheirForm() {
        logger = builder().keepReferrerQuery(true).build();
        for (String referrer : List.of("//user:pass@radio.example/x", "https://user:pass@radio.example/x",
                "HTTP://user@radio.example/x", "//:pass@radio.example/x")) {
            assertThat(logger.log(ListenRequest.of(1, null, null, referrer))).isTrue();
        }
        assertThat(logger.flush(WAIT)).isTrue();
        assertThat(store.events()).extracting(ListenEvent::referrer).containsExactly("//radio.example/x",
                "https://radio.example/x", "HTTP://radio.example/x", "//radio.example/x");
    }

    @Test
    void writesAnonymizedNormalizedEvents() {
        Instant now = Instant.parse("2026-11-24T10:15:30.123456Z");
        logger = builder().clock(Clock.fixed(now, ZoneOffset.UTC)).maxUserAgentLength(20).build();

        Instant earlier = Instant.parse("2026-11-20T08:00:00Z");
        assertThat(logger.log(ListenRequest.of(1, "203.0.113.7", " Mozilla/5.0\r\nX-Injected: 1\u0000 ",
                "https://user:pw@radio.example/player?token=abc&email=a@b.c#frag"))).isTrue();
        assertThat(logger.log(ListenRequest.builder(2).clientIp("garbage").userAgent("x".repeat(50))
                .referrer("  ").durationSeconds(30).extra(java.util.Map.of("app", "ios")).occurredAt(earlier)
                .build())).isTrue();
        assertThat(logger.flush(WAIT)).isTrue();

        List<ListenEvent> events = store.events();
        assertThat(events).hasSize(2);
        ListenEvent first = events.get(0);
        assertThat(first.sourceId()).isEqualTo(1);
        assertThat(first.occurredAt()).isEqualTo(now);
        assertThat(first.ipHash()).isEqualTo(ANONYMIZER.anonymize("203.0.113.7")).doesNotContain("203.0.113.7");
        assertThat(first.userAgent()).isEqualTo("Mozilla/5.0X-Injecte");
        assertThat(first.referrer()).isEqualTo("https://radio.example/player");

        ListenEvent second = events.get(1);
        assertThat(second.occurredAt()).isEqualTo(earlier);
        assertThat(second.ipHash()).isNull();
        assertThat(second.userAgent()).hasSize(20);
        assertThat(second.referrer()).isNull();
        assertThat(second.durationSeconds()).isEqualTo(30);
        assertThat(second.extra()).containsEntry("app", "ios");
    }

    @Test
    void referrerQueryCanBeKept() {
        logger = builder().keepReferrerQuery(true).maxReferrerLength(60).build();
        logger.log(ListenRequest.of(1, null, null, "https://radio.example/p?utm_source=news#t=1"));
        logger.log(ListenRequest.of(1, null, null, "https://radio.example/" + "a".repeat(100)));
        assertThat(logger.flush(WAIT)).isTrue();
        assertThat(store.events()).extracting(ListenEvent::referrer)
                .containsExactly("https://radio.example/p?utm_source=news#t=1",
                        "https://radio.example/" + "a".repeat(38));
    }

    @Test
    void cutsNeverSplitASurrogatePair() {
        logger = builder().maxUserAgentLength(3).build();
        logger.log(ListenRequest.of(1, null, "ab\uD83D\uDCFBcd", null));
        assertThat(logger.flush(WAIT)).isTrue();
        assertThat(store.events().get(0).userAgent()).isEqualTo("ab");
    }

    @Test
    void dropsWhenTheQueueIsFullWithoutBlocking() throws Exception {
        store.close();
        logger = builder().queueCapacity(4).batchSize(1).build();
        assertThat(logger.log(ListenRequest.of(1, null, null, null))).isTrue();
        assertThat(store.awaitFirstWrite()).isTrue();
        for (int i = 0; i < 4; i++) {
            assertThat(logger.log(ListenRequest.of(1, null, null, null))).isTrue();
        }

        assertThat(logger.log(ListenRequest.of(1, null, null, null))).isFalse();

        ListenLogMetrics full = logger.metrics();
        assertThat(full.accepted()).isEqualTo(5);
        assertThat(full.dropped()).isEqualTo(1);
        assertThat(full.queueDepth()).isEqualTo(4);
        assertThat(full.pending()).isEqualTo(5);
        store.open();
        assertThat(logger.flush(WAIT)).isTrue();
        assertThat(logger.metrics().written()).isEqualTo(5);
        assertThat(store.events()).hasSize(5);
    }

    @Test
    void dropWarningsAreRateLimited() throws Exception {
        store.close();
        logger = builder().queueCapacity(1).batchSize(1).build();
        logger.log(ListenRequest.of(1, null, null, null));
        assertThat(store.awaitFirstWrite()).isTrue();
        logger.log(ListenRequest.of(1, null, null, null));

        java.io.PrintStream originalErr = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            for (int i = 0; i < 100; i++) {
                assertThat(logger.log(ListenRequest.of(1, null, null, null))).isFalse();
            }
        } finally {
            System.setErr(originalErr);
        }
        assertThat(logger.metrics().dropped()).isEqualTo(100);
        assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8).lines()
                .filter(line -> line.contains("dropped a listen"))).hasSize(1);
    }

    @Test
    void blockPolicyWaitsForRoomAndDropsNothing() throws Exception {
        store.close();
        logger = builder().queueCapacity(2).batchSize(1).overflowPolicy(OverflowPolicy.BLOCK).blockTimeout(WAIT)
                .build();
        logger.log(ListenRequest.of(1, null, null, null));
        assertThat(store.awaitFirstWrite()).isTrue();
        logger.log(ListenRequest.of(2, null, null, null));
        logger.log(ListenRequest.of(3, null, null, null));

        CompletableFuture<Boolean> blocked = CompletableFuture.supplyAsync(
                () -> logger.log(ListenRequest.of(4, null, null, null)));
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> !blocked.isDone());

        store.open();
        assertThat(blocked.get()).isTrue();
        assertThat(logger.flush(WAIT)).isTrue();
        assertThat(store.events()).extracting(ListenEvent::sourceId).containsExactly(1L, 2L, 3L, 4L);
        assertThat(logger.metrics().dropped()).isZero();
    }

    @Test
    void whileTheStoreIsDownBlockedProducersGiveUpAfterBlockTimeoutWithACountedDrop() throws Exception {
        store.close();
        logger = builder().queueCapacity(1).batchSize(1).overflowPolicy(OverflowPolicy.BLOCK)
                .blockTimeout(Duration.ofMillis(300)).build();
        logger.log(ListenRequest.of(1, null, null, null));
        assertThat(store.awaitFirstWrite()).isTrue();
        logger.log(ListenRequest.of(2, null, null, null));

        List<CompletableFuture<Boolean>> producers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            producers.add(CompletableFuture.supplyAsync(() -> logger.log(ListenRequest.of(3, null, null, null))));
        }
        for (CompletableFuture<Boolean> producer : producers) {
            assertThat(producer.get(10, java.util.concurrent.TimeUnit.SECONDS)).as("dropped, not stuck").isFalse();
        }
        ListenLogMetrics m = logger.metrics();
        assertThat(m.dropped()).isEqualTo(8);
        assertThat(m.accepted()).isEqualTo(2);
        store.open();
        assertThat(logger.flush(WAIT)).isTrue();
        assertThat(store.events()).hasSize(2);
    }

    @Test
    void anInterruptedProducerIsNotBlockedButDropsAndKeepsItsInterrupt() throws Exception {
        store.close();
        logger = builder().queueCapacity(1).batchSize(1).overflowPolicy(OverflowPolicy.BLOCK).build();
        logger.log(ListenRequest.of(1, null, null, null));
        assertThat(store.awaitFirstWrite()).isTrue();
        logger.log(ListenRequest.of(2, null, null, null));

        CompletableFuture<Boolean[]> interrupted = CompletableFuture.supplyAsync(() -> {
            Thread.currentThread().interrupt();
            boolean accepted = logger.log(ListenRequest.of(3, null, null, null));
            return new Boolean[] {accepted, Thread.interrupted()};
        });
        assertThat(interrupted.get(10, java.util.concurrent.TimeUnit.SECONDS)).containsExactly(false, true);
        assertThat(logger.metrics().dropped()).isEqualTo(1);
    }

    @Test
    void blockedProducerIsReleasedByClose() throws Exception {
        store.close();
        logger = builder().queueCapacity(1).batchSize(1).overflowPolicy(OverflowPolicy.BLOCK).blockTimeout(WAIT)
                .shutdownTimeout(Duration.ofMillis(200)).build();
        logger.log(ListenRequest.of(1, null, null, null));
        assertThat(store.awaitFirstWrite()).isTrue();
        logger.log(ListenRequest.of(2, null, null, null));
        CompletableFuture<Boolean> blocked = CompletableFuture.supplyAsync(
                () -> logger.log(ListenRequest.of(3, null, null, null)));
        await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> !blocked.isDone());

        CompletableFuture<Void> closing = CompletableFuture.runAsync(logger::close);
        assertThat(blocked.get()).isFalse();
        store.open();
        closing.get();
        ListenLogMetrics m = logger.metrics();
        assertThat(m.dropped()).isEqualTo(1);
        assertThat(m.accepted()).isEqualTo(m.written() + m.rejected() + m.abandoned());
        assertThat(m.pending()).isZero();
    }

    @Test
    void flushReportsATimeoutWhileTheStoreIsStuck() throws Exception {
        store.close();
        logger = builder().build();
        logger.log(ListenRequest.of(1, null, null, null));
        assertThat(logger.flush(Duration.ofMillis(200))).isFalse();
        store.open();
        assertThat(logger.flush(WAIT)).isTrue();
        assertThat(logger.flush(WAIT)).as("nothing new to wait for").isTrue();
    }

    @Test
    void partialBatchesAreWrittenWithinMaxBatchDelay() {
        logger = builder().batchSize(1000).maxBatchDelay(Duration.ofMillis(50)).build();
        logger.log(ListenRequest.of(1, null, null, null));
        await().atMost(WAIT).until(() -> store.events().size() == 1);
    }

    @Test
    void closeDrainsTheQueue() {
        logger = builder().batchSize(1000).maxBatchDelay(Duration.ofMinutes(5)).build();
        for (int i = 0; i < 100; i++) {
            assertThat(logger.log(ListenRequest.of(1, null, null, null))).isTrue();
        }
        logger.close();
        assertThat(store.events()).hasSize(100);
        ListenLogMetrics m = logger.metrics();
        assertThat(m.written()).isEqualTo(100);
        assertThat(m.abandoned()).isZero();
        assertThat(m.pending()).isZero();
    }

    @Test
    void closeAbandonsAndCountsWhatTheStoreNeverTakes() {
        store.failForever = true;
        logger = builder().shutdownTimeout(Duration.ofMillis(300))
                .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(10)).batchSize(10).build();
        for (int i = 0; i < 50; i++) {
            logger.log(ListenRequest.of(1, "192.0.2.1", null, null));
        }
        logger.close();
        ListenLogMetrics m = logger.metrics();
        assertThat(m.accepted()).isEqualTo(50);
        assertThat(m.written()).isZero();
        assertThat(m.abandoned()).isEqualTo(50);
        assertThat(m.pending()).isZero();
        assertThat(m.retries()).isPositive();
        assertThat(store.events()).isEmpty();
    }

    @Test
    void aSecondCloseReturnsOnlyWhenTheFirstHasDrained() throws Exception {
        store.close();
        logger = builder().build();
        logger.log(ListenRequest.of(1, null, null, null));
        assertThat(store.awaitFirstWrite()).isTrue();
        CompletableFuture<Void> first = CompletableFuture.runAsync(logger::close);
        await().atMost(WAIT).until(() -> !logger.log(ListenRequest.of(1, null, null, null)));

        CompletableFuture<Void> second = CompletableFuture.runAsync(logger::close);
        await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> !second.isDone());
        store.open();
        second.get();
        assertThat(logger.metrics().written()).as("drained when the second close returned").isEqualTo(1);
        first.get();
    }

    @Test
    void logAfterCloseIsRefusedAndCounted() {
        logger = builder().build();
        logger.close();
        logger.close();
        assertThat(logger.log(ListenRequest.of(1, null, null, null))).isFalse();
        assertThat(logger.metrics().dropped()).isEqualTo(1);
        assertThat(logger.metrics().accepted()).isZero();
    }

    @Test
    void anonymizerFailureRejectsOnlyThatEvent() {
        IpAnonymizer broken = ip -> {
            if (ip.startsWith("10.")) {
                throw new IllegalStateException("boom");
            }
            return ANONYMIZER.anonymize(ip);
        };
        logger = ListenLogger.builder().store(store).anonymizer(broken).build();
        logger.log(ListenRequest.of(1, "10.0.0.1", null, null));
        logger.log(ListenRequest.of(2, "192.0.2.1", null, null));
        assertThat(logger.flush(WAIT)).isTrue();
        assertThat(store.events()).extracting(ListenEvent::sourceId).containsExactly(2L);
        assertThat(logger.metrics().rejected()).isEqualTo(1);
        assertThat(logger.metrics().written()).isEqualTo(1);
    }

    @Test
    void anonymizesOffTheCallersThread() {
        java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        IpAnonymizer recording = ip -> {
            threads.add(Thread.currentThread().getName());
            return ANONYMIZER.anonymize(ip);
        };
        logger = ListenLogger.builder().store(store).anonymizer(recording).build();
        logger.log(ListenRequest.of(1, "192.0.2.1", null, null));
        assertThat(logger.flush(WAIT)).isTrue();
        assertThat(threads).hasSize(1).allMatch(name -> name.startsWith("listen-log-writer-"));
    }

    @Test
    void theWriterRunsOnAThreadOfTheHostsFactory() {
        java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.atomic.AtomicInteger made = new java.util.concurrent.atomic.AtomicInteger();
        logger = ListenLogger.builder().anonymizer(ANONYMIZER)
                .threadFactory(r -> {
                    made.incrementAndGet();
                    Thread t = new Thread(r, "host-managed-writer");
                    t.setDaemon(true);
                    return t;
                })
                .store(batch -> {
                    threads.add(Thread.currentThread().getName());
                    store.write(batch);
                }).build();
        for (int i = 0; i < 10; i++) {
            logger.log(ListenRequest.of(1, null, null, null));
        }
        assertThat(logger.flush(WAIT)).isTrue();
        assertThat(store.events()).hasSize(10);
        assertThat(threads).containsExactly("host-managed-writer");
        assertThat(made).as("one writer thread").hasValue(1);
    }

    @Test
    void aThreadFactoryThatReturnsNoThreadIsAClearError() {
        assertThatThrownBy(() -> builder().threadFactory(r -> null).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("threadFactory");
    }

    @Test
    void builderNamesWhatIsMissingOrWrong() {
        assertThatThrownBy(() -> ListenLogger.builder().anonymizer(ANONYMIZER).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("store");
        assertThatThrownBy(() -> ListenLogger.builder().store(store).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("anonymizer")
                .hasMessageContaining("IpAnonymizer.fromEnvironment()");
        assertThatThrownBy(() -> builder().queueCapacity(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("queueCapacity");
        assertThatThrownBy(() -> builder().queueCapacity(ListenLogger.MAX_QUEUE_CAPACITY + 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most " + ListenLogger.MAX_QUEUE_CAPACITY);
        assertThatThrownBy(() -> builder().maxUserAgentLength(ListenRequest.MAX_USER_AGENT_LENGTH + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most");
        assertThatThrownBy(() -> builder().maxReferrerLength(ListenRequest.MAX_REFERRER_LENGTH + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most");
        assertThatThrownBy(() -> builder().blockTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blockTimeout");
        assertThatThrownBy(() -> builder().batchSize(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batchSize");
        assertThatThrownBy(() -> builder().maxBatchDelay(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().shutdownTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().retryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().queueCapacity(10).batchSize(11).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("batchSize");
        logger = builder().queueCapacity(10).build();
        assertThat(logger.log(ListenRequest.of(1, null, null, null))).as("default batch size fits a small queue")
                .isTrue();
        assertThatThrownBy(() -> logger.log(null)).isInstanceOf(NullPointerException.class);
    }
}
