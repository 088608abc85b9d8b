package io.listenlog.core.internal;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The writer's queue tested directly, as HikariCP tests its ConcurrentBag: producers racing each other and the one
 * consumer, a queue that fills, and wrap-around; every entry offered successfully is taken exactly once, with its
 * time, in each producer's order.
 */
class RequestQueueTest {
    private record Item(int producer, int seq) {
    }

    @Test
    void aFullQueueRefusesUntilTheConsumerTakesAndItsCapacityIsExactAlsoWhenNotAPowerOfTwo() {
        RequestQueue queue = new RequestQueue(5);
        Instant at = Instant.parse("2026-12-01T10:00:00Z");
        for (int i = 0; i < 5; i++) {
            assertThat(queue.offer(new Item(0, i), at)).isEqualTo(i + 1);
        }
        assertThat(queue.offer(new Item(0, 5), at)).as("full at its capacity, not at 8 slots").isZero();
        assertThat(queue.size()).isEqualTo(5);

        Object[] items = new Object[8];
        Instant[] times = new Instant[8];
        assertThat(queue.drainTo(items, times, 2)).isEqualTo(2);
        assertThat(items[0]).isEqualTo(new Item(0, 0));
        assertThat(times[1]).isEqualTo(at);
        assertThat(queue.offer(new Item(0, 5), at)).isEqualTo(6);
        assertThat(queue.drainTo(items, times, 8)).isEqualTo(4);
        assertThat(items[3]).isEqualTo(new Item(0, 5));
        assertThat(queue.size()).isZero();
        assertThat(queue.enqueued()).isEqualTo(6);
    }

    @RepeatedTest(5)
    void racingProducersAndOneConsumerLoseNothingDuplicateNothingAndKeepEachProducersOrder() throws Exception {
        int producers = 4;
        int perProducer = 200_000;
        RequestQueue queue = new RequestQueue(1_000);  // small: it fills and wraps around many times
        ExecutorService pool = Executors.newFixedThreadPool(producers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Set<Long>>> positions = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            positions.add(pool.submit(() -> {
                Set<Long> taken = new HashSet<>();
                go.await();
                for (int seq = 0; seq < perProducer; ) {
                    long position = queue.offer(new Item(producer, seq), Instant.ofEpochSecond(seq));
                    if (position > 0) {
                        taken.add(position);
                        seq++;
                    } else {
                        Thread.onSpinWait();  // full: the consumer will make room
                    }
                }
                return taken;
            }));
        }
        int[] next = new int[producers];
        Object[] items = new Object[256];
        Instant[] times = new Instant[256];
        long received = 0;
        go.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (received < (long) producers * perProducer && System.nanoTime() < deadline) {
            int n = queue.drainTo(items, times, items.length);
            for (int i = 0; i < n; i++) {
                Item item = (Item) items[i];
                assertThat(item.seq()).as("producer %d's next entry", item.producer()).isEqualTo(next[item.producer()]);
                assertThat(times[i]).isEqualTo(Instant.ofEpochSecond(item.seq()));
                next[item.producer()]++;
            }
            received += n;
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

        assertThat(received).isEqualTo((long) producers * perProducer);
        Set<Long> all = new HashSet<>();
        for (Future<Set<Long>> taken : positions) {
            all.addAll(taken.get());
        }
        assertThat(all).as("every successful offer has its own position").hasSize(producers * perProducer);
        assertThat(queue.size()).isZero();
        assertThat(queue.enqueued()).isEqualTo((long) producers * perProducer);
    }
}
