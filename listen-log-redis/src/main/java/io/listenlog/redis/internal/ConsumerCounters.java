package io.listenlog.redis.internal;

import java.util.concurrent.atomic.AtomicLong;

/** A stream consumer's counters since it started, shared by its loop, its settler and its retries. */
public final class ConsumerCounters {
    public final AtomicLong entriesRead = new AtomicLong();
    public final AtomicLong claimed = new AtomicLong();
    public final AtomicLong playsWritten = new AtomicLong();
    public final AtomicLong progressApplied = new AtomicLong();
    public final AtomicLong progressRequeued = new AtomicLong();
    public final AtomicLong progressUnknown = new AtomicLong();
    public final AtomicLong deadLettered = new AtomicLong();
    public final AtomicLong deadLettersTrimmed = new AtomicLong();
    public final AtomicLong failures = new AtomicLong();
}
