package io.listenlog.core.internal;

import io.listenlog.core.ListenLogMetrics;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** A logger's counters; {@code accepted} and {@code dropped} are bumped on request threads, so they are adders. */
final class Counters {
    final LongAdder accepted = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final AtomicLong written = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();
    final AtomicLong retries = new AtomicLong();
    final AtomicLong abandoned = new AtomicLong();
    final LongAdder progressAccepted = new LongAdder();
    final LongAdder progressDropped = new LongAdder();
    final AtomicLong progressApplied = new AtomicLong();
    final AtomicLong progressUnknown = new AtomicLong();
    final AtomicLong progressRejected = new AtomicLong();
    final AtomicLong progressAbandoned = new AtomicLong();

    /**
     * Settled counts are read before {@code accepted}: an event is counted as accepted before it can settle, so the
     * derived {@code pending} is never negative and the identity holds in every snapshot.
     */
    ListenLogMetrics snapshot(int queueDepth) {
        long w = written.get();
        long r = rejected.get();
        long a = abandoned.get();
        long settled = w + r + a;
        long acc = Math.max(accepted.sum(), settled);
        long pending = acc - settled;
        long applied = progressApplied.get();
        long unknown = progressUnknown.get();
        long progressRej = progressRejected.get();
        long progressAb = progressAbandoned.get();
        long progressSettled = applied + unknown + progressRej + progressAb;
        long progressAcc = Math.max(progressAccepted.sum(), progressSettled);
        long progressPending = progressAcc - progressSettled;
        return new ListenLogMetrics(acc, w, dropped.sum(), r, retries.get(), a, pending,
                (int) Math.min(queueDepth, pending + progressPending),
                new ListenLogMetrics.Progress(progressAcc, applied, unknown, progressDropped.sum(), progressRej,
                        progressAb, progressPending));
    }
}
