package io.listenlog.redis.internal;

import io.listenlog.core.internal.RetryBackoff;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * How a stream consumer waits out a failure (Redis away or failing, the store failing, an acknowledgement): the
 * logger's backoff, capped at 5 s with jitter, every wait counted, and a warning every 10 s at most.
 */
public final class ConsumerRetries {
    private static final RetryBackoff BACKOFF = new RetryBackoff(Duration.ofMillis(100), Duration.ofSeconds(5));
    private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Logger log;
    private final AtomicLong failures;
    private long lastWarnNanos = System.nanoTime() - WARN_EVERY_NANOS;

    public ConsumerRetries(Logger log, AtomicLong failures) {
        this.log = log;
        this.failures = failures;
    }

    /** Logs {@code message} unless a warning was logged in the last 10 s; called by the worker thread only. */
    public void warn(String message) {
        long now = System.nanoTime();
        if (now - lastWarnNanos >= WARN_EVERY_NANOS) {
            lastWarnNanos = now;
            log.warn(message);
        }
    }

    /** Waits before retrying the {@code attempt}-th failure in a row; every wait counts one failure. */
    public void backoff(int attempt) {
        failures.incrementAndGet();
        LockSupport.parkNanos(BACKOFF.delayNanos(attempt));
    }
}
