package io.listenlog.core.internal;

import io.listenlog.core.ListenEvent;
import io.listenlog.core.ListenLogListener;
import io.listenlog.core.ListenProgress;
import io.listenlog.core.ListenRequest;
import io.listenlog.core.ListenStore;
import io.listenlog.core.ListenStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The writer thread's work on one batch: normalizes, writes all-or-nothing batches, retries transient failures,
 * isolates rejected events (bisecting when the store cannot say which), and counts every outcome.
 */
final class EventWriter {
    private static final Logger LOG = LoggerFactory.getLogger(EventWriter.class);
    private static final long GIVE_UP_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final ListenStore store;
    private final EventNormalizer normalizer;
    private final Counters counters;
    private final RetryBackoff backoff;
    private final RateLimitedLog retryWarnings = new RateLimitedLog(LOG, Duration.ofSeconds(10));
    private final RateLimitedLog rejectWarnings = new RateLimitedLog(LOG, Duration.ofSeconds(10));
    private final RateLimitedLog listenerWarnings = new RateLimitedLog(LOG, Duration.ofSeconds(10));
    private final List<ListenLogListener> listeners = new CopyOnWriteArrayList<>();

    EventWriter(ListenStore store, EventNormalizer normalizer, Counters counters, RetryBackoff backoff) {
        this.store = store;
        this.normalizer = normalizer;
        this.counters = counters;
        this.backoff = backoff;
    }

    void addListener(ListenLogListener listener) {
        listeners.add(listener);
    }

    void removeListener(ListenLogListener listener) {
        listeners.remove(listener);
    }

    /**
     * Settles the first {@code count} items, plays and progress updates: each ends up written (applied), rejected, or
     * (once {@code giveUp} answers {@code true} while a transient failure persists) abandoned. The plays are written
     * first, so a progress update follows the listen it names. Blocks while it retries.
     */
    void write(Object[] items, Instant[] receivedAt, int count, BooleanSupplier giveUp) {
        List<ListenEvent> events = new ArrayList<>(count);
        Map<UUID, int[]> progress = new LinkedHashMap<>();  // listen id -> {largest seconds, updates}
        int attempt = 0;
        for (int i = 0; i < count; ) {
            if (items[i] instanceof ListenProgress update) {
                int[] merged = progress.computeIfAbsent(update.listenId(), id -> new int[2]);
                merged[0] = Math.max(merged[0], update.listenedSeconds());
                merged[1]++;
                i++;
                continue;
            }
            ListenRequest request = (ListenRequest) items[i];
            try {
                events.add(normalizer.toEvent(request, receivedAt[i]));
                i++;
                attempt = 0;
            } catch (ListenStoreException e) {
                if (!e.isTransient()) {
                    rejectUnnormalizable(request, e);
                    i++;
                } else if (!waitToRetry(++attempt, e, count - i, giveUp)) {
                    abandon(items, i, count);
                    progress.values().forEach(merged -> counters.progressAbandoned.addAndGet(merged[1]));
                    giveUp(events.size(), attempt, e);
                    return;
                }
            } catch (RuntimeException e) {
                rejectUnnormalizable(request, e);
                i++;
            }
        }
        if (!events.isEmpty()) {
            writeAll(events, giveUp);
        }
        if (!progress.isEmpty()) {
            applyProgress(progress, giveUp);
        }
    }

    private void applyProgress(Map<UUID, int[]> progress, BooleanSupplier giveUp) {
        List<ListenProgress> updates = new ArrayList<>(progress.size());
        long total = 0;
        for (Map.Entry<UUID, int[]> e : progress.entrySet()) {
            updates.add(new ListenProgress(e.getKey(), e.getValue()[0]));
            total += e.getValue()[1];
        }
        for (int attempt = 1; ; attempt++) {
            try {
                Set<UUID> unknownIds = store.updateDurations(updates);
                // Coalesced updates of one listen settle together: all applied, or all unknown.
                long unknown = 0;
                for (UUID id : unknownIds) {
                    int[] merged = progress.get(id);
                    unknown += merged == null ? 0 : merged[1];
                }
                counters.progressUnknown.addAndGet(unknown);
                counters.progressApplied.addAndGet(total - unknown);
                if (unknown > 0) {
                    LOG.debug("listen-log: {} progress update(s) named a listen that is not stored", unknown);
                }
                return;
            } catch (RuntimeException e) {
                if (StoreFailures.classifyUpdate(e) == StoreFailures.Outcome.REJECT) {
                    counters.progressRejected.addAndGet(total);
                    rejectWarnings.warn("listen-log could not record listening time of {} listen(s): {}",
                            updates.size(), e.toString());
                    return;
                }
                if (!waitToRetry(attempt, e, updates.size(), giveUp)) {
                    counters.progressAbandoned.addAndGet(total);
                    LOG.error("listen-log abandoned {} progress update(s) after {} failed attempt(s); last failure: {}",
                            total, attempt, e.toString());
                    return;
                }
            }
        }
    }

    private void rejectUnnormalizable(ListenRequest request, RuntimeException e) {
        counters.rejected.incrementAndGet();
        rejectWarnings.warn("listen-log rejected a listen of source {}: it could not be anonymized or normalized ({})",
                request.sourceId(), e.getClass().getName());
    }

    /** Counts the first {@code count} items as given up (left over at close). */
    void abandon(Object[] items, int count) {
        abandon(items, 0, count);
    }

    private void abandon(Object[] items, int from, int to) {
        for (int i = from; i < to; i++) {
            (items[i] instanceof ListenProgress ? counters.progressAbandoned : counters.abandoned).incrementAndGet();
        }
    }

    private void writeAll(List<ListenEvent> events, BooleanSupplier giveUp) {
        Deque<List<ListenEvent>> work = new ArrayDeque<>();
        work.push(events);
        int attempt = 0;
        while (!work.isEmpty()) {
            List<ListenEvent> part = work.peek();
            long start = System.nanoTime();
            try {
                store.write(part);
                work.pop();
                counters.written.addAndGet(part.size());
                attempt = 0;
                notifyWritten(part.size(), System.nanoTime() - start);
            } catch (RuntimeException | Error e) {
                if (StoreFailures.classify(e) == StoreFailures.Outcome.RETRY) {
                    attempt = retryOrAbandon(work, ++attempt, e, giveUp);
                } else {
                    notifyFailed(e, part.size(), false);
                    work.pop();
                    isolateRejected(part, StoreFailures.asRejection(e), work);
                }
            }
        }
    }

    /** @return the attempt number to continue with, or 0 once the work has been abandoned */
    private int retryOrAbandon(Deque<List<ListenEvent>> work, int attempt, Throwable failure, BooleanSupplier giveUp) {
        int size = work.peek().size();
        if (!waitToRetry(attempt, failure, size, giveUp)) {
            long left = work.stream().mapToLong(List::size).sum();
            work.clear();
            giveUp(left, attempt, failure);
            return 0;
        }
        return attempt;
    }

    /** @return {@code false} when it is time to give up instead of retrying */
    private boolean waitToRetry(int attempt, Throwable failure, int events, BooleanSupplier giveUp) {
        boolean retry = !giveUp.getAsBoolean();
        notifyFailed(failure, events, retry);
        if (!retry || !waitBeforeRetry(backoff.delayNanos(attempt), giveUp)) {
            return false;
        }
        counters.retries.incrementAndGet();
        retryWarnings.warn("listen-log could not write {} listen(s), retrying (attempt {}): {}",
                events, attempt + 1, failure.toString());
        return true;
    }

    private void giveUp(long events, int attempts, Throwable failure) {
        counters.abandoned.addAndGet(events);
        LOG.error("listen-log abandoned {} listen(s) after {} failed attempt(s) to write them; last failure: {}",
                events, attempts, failure.toString());
    }

    private void notifyWritten(int events, long nanos) {
        for (ListenLogListener listener : listeners) {
            try {
                listener.onBatchWritten(events, Duration.ofNanos(nanos));
            } catch (RuntimeException e) {
                listenerWarnings.warn("listen-log listener {} failed: {}", listener, e.toString());
            }
        }
    }

    private void notifyFailed(Throwable failure, int events, boolean willRetry) {
        for (ListenLogListener listener : listeners) {
            try {
                listener.onWriteFailed(failure, events, willRetry);
            } catch (RuntimeException e) {
                listenerWarnings.warn("listen-log listener {} failed: {}", listener, e.toString());
            }
        }
    }

    /** @return false if {@code giveUp} answered true while waiting */
    private static boolean waitBeforeRetry(long nanos, BooleanSupplier giveUp) {
        long deadline = System.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(Math.min(left, GIVE_UP_POLL_NANOS));
            if (giveUp.getAsBoolean()) {
                return false;
            }
        }
        return true;
    }

    private void isolateRejected(List<ListenEvent> part, ListenStoreException e, Deque<List<ListenEvent>> work) {
        BitSet named = StoreFailures.named(e, part.size());
        if (named.isEmpty()) {
            int half = part.size() / 2;
            work.push(part.subList(half, part.size()));
            work.push(part.subList(0, half));
            return;
        }
        List<ListenEvent> rest = new ArrayList<>(part.size() - named.cardinality());
        for (int i = 0; i < part.size(); i++) {
            if (named.get(i)) {
                rejectWarnings.warn("listen-log rejected a listen of source {}: {}", part.get(i).sourceId(),
                        e.getMessage());
            } else {
                rest.add(part.get(i));
            }
        }
        counters.rejected.addAndGet(named.cardinality());
        if (!rest.isEmpty()) {
            work.push(rest);
        }
    }
}
