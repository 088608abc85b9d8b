package io.listenlog.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
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

    /** Keeps the larger duration per stored listen id; ids it never stored are returned as unknown. */
    @Override
    public Set<UUID> updateDurations(List<ListenProgress> updates) {
        Set<UUID> unknown = new java.util.HashSet<>();
        synchronized (events) {
            for (ListenProgress update : updates) {
                int at = -1;
                for (int i = 0; i < events.size(); i++) {
                    if (events.get(i).listenId().equals(update.listenId())) {
                        at = i;
                    }
                }
                if (at < 0) {
                    unknown.add(update.listenId());
                    continue;
                }
                ListenEvent e = events.get(at);
                int duration = Math.max(e.durationSeconds() == null ? 0 : e.durationSeconds(),
                        update.listenedSeconds());
                events.set(at, new ListenEvent(e.listenId(), e.sourceId(), e.occurredAt(), e.ipHash(),
                        e.userAgent(), e.referrer(), duration, e.extra()));
            }
        }
        return unknown;
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
