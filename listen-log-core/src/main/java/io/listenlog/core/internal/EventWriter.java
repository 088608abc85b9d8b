package io.listenlog.core.internal;

import io.listenlog.core.ListenEvent;
import io.listenlog.core.ListenRequest;
import io.listenlog.core.ListenSink;
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
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The sink every dispatcher writes through: normalizes, writes all-or-nothing batches, retries transient failures,
 * isolates rejected events (bisecting when the store cannot say which), and counts every outcome.
 */
public final class EventWriter implements ListenSink {
    private static final Logger LOG = LoggerFactory.getLogger(EventWriter.class);
    private static final long GIVE_UP_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final ListenStore store;
    private final EventNormalizer normalizer;
    private final Counters counters;
    private final RetryBackoff backoff;
    private final RateLimitedLog retryWarnings = new RateLimitedLog(LOG, Duration.ofSeconds(10));
    private final RateLimitedLog rejectWarnings = new RateLimitedLog(LOG, Duration.ofSeconds(10));

    public EventWriter(ListenStore store, EventNormalizer normalizer, Counters counters, RetryBackoff backoff) {
        this.store = store;
        this.normalizer = normalizer;
        this.counters = counters;
        this.backoff = backoff;
    }

    @Override
    public void write(ListenRequest[] requests, Instant[] receivedAt, int count, BooleanSupplier giveUp) {
        List<ListenEvent> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            try {
                events.add(normalizer.toEvent(requests[i], receivedAt[i]));
            } catch (RuntimeException e) {
                counters.rejected.incrementAndGet();
                rejectWarnings.warn("listen-log rejected a listen of source {}: it could not be anonymized or "
                        + "normalized ({})", requests[i].sourceId(), e.getClass().getName());
            }
        }
        if (!events.isEmpty()) {
            writeAll(events, giveUp);
        }
    }

    @Override
    public void abandon(int count) {
        counters.abandoned.addAndGet(count);
    }

    private void writeAll(List<ListenEvent> events, BooleanSupplier giveUp) {
        Deque<List<ListenEvent>> work = new ArrayDeque<>();
        work.push(events);
        int attempt = 0;
        while (!work.isEmpty()) {
            List<ListenEvent> part = work.peek();
            try {
                store.write(part);
                work.pop();
                counters.written.addAndGet(part.size());
                attempt = 0;
            } catch (ListenStoreException e) {
                if (e.isTransient()) {
                    attempt = retryOrAbandon(work, ++attempt, e, giveUp);
                } else {
                    work.pop();
                    isolateRejected(part, e, work);
                }
            } catch (RuntimeException | Error e) {
                if (e instanceof VirtualMachineError) {
                    throw e;
                }
                attempt = retryOrAbandon(work, ++attempt, e, giveUp);
            }
        }
    }

    /** @return the attempt number to continue with, or 0 once the work has been abandoned */
    private int retryOrAbandon(Deque<List<ListenEvent>> work, int attempt, Throwable failure, BooleanSupplier giveUp) {
        if (giveUp.getAsBoolean() || !waitBeforeRetry(backoff.delayNanos(attempt), giveUp)) {
            long left = work.stream().mapToLong(List::size).sum();
            work.clear();
            counters.abandoned.addAndGet(left);
            LOG.error("listen-log abandoned {} listen(s) after {} failed attempt(s) to write them; last failure: {}",
                    left, attempt, failure.toString());
            return 0;
        }
        counters.retries.incrementAndGet();
        retryWarnings.warn("listen-log could not write {} listen(s), retrying (attempt {}): {}",
                work.peek().size(), attempt + 1, failure.toString());
        return attempt;
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
        BitSet named = new BitSet(part.size());
        for (int index : e.rejectedIndexes()) {
            if (index >= 0 && index < part.size()) {
                named.set(index);
            }
        }
        if (named.isEmpty() && part.size() > 1) {
            int half = part.size() / 2;
            work.push(part.subList(half, part.size()));
            work.push(part.subList(0, half));
            return;
        }
        if (named.isEmpty()) {
            named.set(0);
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
