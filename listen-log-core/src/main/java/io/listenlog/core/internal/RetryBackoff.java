package io.listenlog.core.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Capped exponential backoff with jitter (each wait is between half and all of the current step). */
public final class RetryBackoff {
    private final long initialNanos;
    private final long maxNanos;

    public RetryBackoff(Duration initial, Duration max) {
        this.initialNanos = initial.toNanos();
        this.maxNanos = max.toNanos();
    }

    /** The wait before retry number {@code attempt} (1 for the first retry). */
    public long delayNanos(int attempt) {
        int shift = Math.min(attempt - 1, 40);
        long step = initialNanos > (maxNanos >> shift) ? maxNanos : Math.min(maxNanos, initialNanos << shift);
        long half = step / 2;
        return half + ThreadLocalRandom.current().nextLong(step - half + 1);
    }
}
