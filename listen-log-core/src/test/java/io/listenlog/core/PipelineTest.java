package io.listenlog.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** What the one pipeline guarantees: exactly-once delivery, retries, isolation and a closing drain. */
class PipelineTest extends LoggerFixture {
    @Override
    ListenLogger.Builder builder() {
        return super.builder().retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5));
    }

    @Test
    void everyAcceptedEventArrivesExactlyOnceUnderConcurrency()
            throws Exception {
        int producers = 8;
        int perProducer = 5_000;
        logger = builder().queueCapacity(1024).batchSize(128).build();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicReference<ListenLogMetrics> broken = new AtomicReference<>();
        Thread sampler = new Thread(() -> {
            while (running.get()) {
                ListenLogMetrics m = logger.metrics();
                if (m.accepted() != m.written() + m.rejected() + m.abandoned() + m.pending() || m.pending() < 0
                        || m.queueDepth() > m.pending()) {
                    broken.set(m);
                }
            }
        });
        sampler.start();

        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        long[] acceptedPerProducer = new long[producers];
        for (int p = 0; p < producers; p++) {
            int producer = p;
            Thread t = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perProducer; i++) {
                    ListenRequest r = ListenRequest.builder(producer + 1).durationSeconds(i).build();
                    if (logger.log(r)) {
                        acceptedPerProducer[producer]++;
                    }
                }
            });
            t.start();
            threads.add(t);
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(logger.flush(WAIT)).isTrue();
        running.set(false);
        sampler.join();

        assertThat(broken.get()).as("a snapshot that broke the metrics identity").isNull();
        long accepted = 0;
        for (long a : acceptedPerProducer) {
            accepted += a;
        }
        ListenLogMetrics m = logger.metrics();
        assertThat(m.accepted()).isEqualTo(accepted);
        assertThat(m.accepted() + m.dropped()).isEqualTo((long) producers * perProducer);
        assertThat(m.written()).isEqualTo(accepted);
        assertThat(m.pending()).isZero();
        assertThat(m.queueDepth()).isZero();

        List<ListenEvent> events = store.events();
        Set<String> distinct = new HashSet<>();
        for (ListenEvent e : events) {
            distinct.add(e.sourceId() + "/" + e.durationSeconds());
        }
        assertThat(events).hasSize((int) accepted);
        assertThat(distinct).as("no event written twice").hasSize(events.size());
    }

    @Test
    void transientFailuresAreRetriedWithoutLossOrDuplicates() {
        store.transientFailuresLeft.set(3);
        logger = builder().build();
        for (int i = 0; i < 10; i++) {
            assertThat(logger.log(ListenRequest.builder(1).durationSeconds(i).build())).isTrue();
        }
        assertThat(logger.flush(WAIT)).isTrue();

        assertThat(store.events()).extracting(ListenEvent::durationSeconds)
                .containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        ListenLogMetrics m = logger.metrics();
        assertThat(m.retries()).isEqualTo(3);
        assertThat(m.written()).isEqualTo(10);
        assertThat(m.rejected()).isZero();
    }

    @Test
    void unclassifiedStoreExceptionsAreRetriedToo() {
        AtomicBoolean failedOnce = new AtomicBoolean();
        ListenStore flaky = batch -> {
            if (failedOnce.compareAndSet(false, true)) {
                throw new IllegalStateException("driver hiccup");
            }
            store.write(batch);
        };
        logger = ListenLogger.builder().store(flaky).anonymizer(ANONYMIZER)
                .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5)).build();
        logger.log(ListenRequest.of(1, null, null, null));
        assertThat(logger.flush(WAIT)).isTrue();
        assertThat(store.events()).hasSize(1);
        assertThat(logger.metrics().retries()).isEqualTo(1);
    }

    @Test
    void aPoisonEventIsIsolatedWhenTheStoreNamesIt() {
        poisonIsIsolated(true);
    }

    @Test
    void aPoisonEventIsFoundByBisectingWhenTheStoreCannotNameIt() {
        poisonIsIsolated(false);
    }

    private void poisonIsIsolated(boolean storeNamesIt) {
        store.namesRejectedEvents = storeNamesIt;
        store.markUnknown(99);
        logger = builder().batchSize(8).maxBatchDelay(Duration.ofMinutes(1)).build();
        long[] sources = {1, 2, 3, 99, 4, 5, 6, 7};
        for (long source : sources) {
            assertThat(logger.log(ListenRequest.of(source, null, null, null))).isTrue();
        }
        assertThat(logger.flush(WAIT)).isTrue();

        assertThat(store.events()).extracting(ListenEvent::sourceId)
                .containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        ListenLogMetrics m = logger.metrics();
        assertThat(m.rejected()).isEqualTo(1);
        assertThat(m.written()).isEqualTo(7);
        assertThat(m.retries()).as("a rejection is not a retry").isZero();
    }

    @Test
    void aValueTheStoreCannotTakeCostsOnlyItsOwnEventNotAnEndlessRetry() {
        Instant unstorable = Instant.parse("9000-01-01T00:00:00Z");
        List<ListenEvent> written = new java.util.concurrent.CopyOnWriteArrayList<>();
        logger = ListenLogger.builder().anonymizer(ANONYMIZER)
                .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5))
                .store(batch -> {
                    for (ListenEvent e : batch) {
                        if (e.occurredAt().equals(unstorable)) {
                            throw new java.time.DateTimeException("Year out of range for this column (test)");
                        }
                    }
                    written.addAll(batch);
                }).batchSize(8).maxBatchDelay(Duration.ofMinutes(1)).build();
        for (int i = 1; i <= 8; i++) {
            logger.log(ListenRequest.builder(i).occurredAt(i == 5 ? unstorable : Instant.EPOCH).build());
        }
        assertThat(logger.flush(WAIT)).isTrue();
        assertThat(written).extracting(ListenEvent::sourceId).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 6L, 7L, 8L);
        ListenLogMetrics m = logger.metrics();
        assertThat(m.rejected()).isEqualTo(1);
        assertThat(m.retries()).as("a data error is not retried").isZero();
    }

    @Test
    void listenersHearEveryWriteAndFailureAndCannotBreakTheWriter() {
        store.transientFailuresLeft.set(1);
        List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        logger = builder().batchSize(3).maxBatchDelay(Duration.ofMinutes(1)).build();
        logger.addListener(new ListenLogListener() {
            @Override
            public void onBatchWritten(int events, Duration took) {
                heard.add("written " + events);
                throw new IllegalStateException("a broken listener (test)");
            }

            @Override
            public void onWriteFailed(Throwable failure, int events, boolean willRetry) {
                heard.add("failed " + events + (willRetry ? " retry" : " final"));
            }
        });
        for (int i = 0; i < 3; i++) {
            logger.log(ListenRequest.of(1, null, null, null));
        }
        assertThat(logger.flush(WAIT)).isTrue();
        assertThat(heard).containsExactly("failed 3 retry", "written 3");
        assertThat(store.events()).hasSize(3);
        assertThat(logger.metrics().written()).isEqualTo(3);
    }

    @Test
    void aBacklogIsWrittenInBatchesOfUpToEightTimesBatchSizeAndAQuietSiteInItsOwn() throws Exception {
        CountDownLatch firstWrite = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> sizes = new java.util.concurrent.CopyOnWriteArrayList<>();
        ListenStore gated = batch -> {
            sizes.add(batch.size());
            firstWrite.countDown();
            try {
                release.await();  // holds the writer, so that a backlog builds up behind it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        logger = ListenLogger.builder().store(gated).anonymizer(ANONYMIZER).queueCapacity(1024).batchSize(10)
                .maxBatchDelay(Duration.ofMillis(5)).build();
        assertThat(logger.log(ListenRequest.builder(1).build())).isTrue();
        assertThat(firstWrite.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 500; i++) {
            assertThat(logger.log(ListenRequest.builder(1).durationSeconds(i).build())).isTrue();
        }
        release.countDown();
        assertThat(logger.flush(WAIT)).isTrue();

        List<Integer> backlog = sizes.subList(1, sizes.size());
        assertThat(backlog.stream().mapToInt(Integer::intValue).sum()).isEqualTo(500);
        assertThat(backlog).allSatisfy(size -> assertThat(size).isBetween(1, 80)).contains(80);
        assertThat(backlog).hasSizeLessThanOrEqualTo(8);

        int before = sizes.size();
        for (int i = 0; i < 3; i++) {
            assertThat(logger.log(ListenRequest.builder(1).build())).isTrue();
            assertThat(logger.flush(WAIT)).isTrue();
        }
        assertThat(sizes.subList(before, sizes.size())).as("a quiet site").containsOnly(1);
        assertThat(logger.metrics().written()).isEqualTo(504);
    }

    @Test
    void closeWritesEverythingItAccepted() {
        logger = builder().batchSize(500).maxBatchDelay(Duration.ofMinutes(1)).build();
        for (int i = 0; i < 300; i++) {
            assertThat(logger.log(ListenRequest.builder(1).durationSeconds(i).build())).isTrue();
        }
        logger.close();
        assertThat(store.events()).hasSize(300);
        ListenLogMetrics m = logger.metrics();
        assertThat(m.written()).isEqualTo(300);
        assertThat(m.pending()).isZero();
        assertThat(logger.log(ListenRequest.of(1, null, null, null))).isFalse();
    }

    @Test
    void aStoreThatNeverRecoversEndsInAbandonedNotLost()
            throws Exception {
        store.failForever = true;
        logger = builder().shutdownTimeout(Duration.ofMillis(200)).build();
        int logged = 20;
        Thread producer = new Thread(() -> {
            for (int i = 0; i < logged; i++) {
                logger.log(ListenRequest.of(1, null, null, null));
            }
        });
        producer.start();
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> logger.metrics().retries() > 0);
        logger.close();
        producer.join(WAIT.toMillis());

        ListenLogMetrics m = logger.metrics();
        assertThat(m.accepted()).isEqualTo(logged);
        assertThat(m.abandoned()).isEqualTo(logged);
        assertThat(m.written()).isZero();
        assertThat(m.pending()).isZero();
    }
}
