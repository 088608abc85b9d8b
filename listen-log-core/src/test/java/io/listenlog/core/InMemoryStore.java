package io.listenlog.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A thread-safe store that keeps events in memory and can be told to fail: the fault injection the logger tests
 * need. Like a real store it is all-or-nothing per call.
 */
final class InMemoryStore implements ListenStore {
    private final List<ListenEvent> events = new ArrayList<>();
    private final Set<Long> unknownSources = ConcurrentHashMap.newKeySet();
    final AtomicInteger writeCalls = new AtomicInteger();
    final AtomicInteger transientFailuresLeft = new AtomicInteger();
    volatile boolean failForever;
    volatile boolean namesRejectedEvents = true;
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private final CountDownLatch firstWriteStarted = new CountDownLatch(1);

    @Override
    public void write(List<ListenEvent> batch) {
        writeCalls.incrementAndGet();
        firstWriteStarted.countDown();
        try {
            if (!gate.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("test store gate was never opened");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ListenStoreException.transientFailure("interrupted", e);
        }
        if (failForever) {
            throw ListenStoreException.transientFailure("database is down (test)", null);
        }
        if (transientFailuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw ListenStoreException.transientFailure("connection reset (test)", null);
        }
        List<Integer> bad = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            if (unknownSources.contains(batch.get(i).sourceId())) {
                bad.add(i);
            }
        }
        if (!bad.isEmpty()) {
            int[] indexes = namesRejectedEvents ? bad.stream().mapToInt(Integer::intValue).toArray() : new int[0];
            throw ListenStoreException.rejected("foreign key violation: unknown source_id (test)", null, indexes);
        }
        synchronized (events) {
            events.addAll(batch);
        }
    }

    void markUnknown(long sourceId) {
        unknownSources.add(sourceId);
    }

    /** Makes every write wait until {@link #open()}. */
    void close() {
        gate = new CountDownLatch(1);
    }

    void open() {
        gate.countDown();
    }

    boolean awaitFirstWrite() throws InterruptedException {
        return firstWriteStarted.await(10, TimeUnit.SECONDS);
    }

    List<ListenEvent> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }
}
