package io.listenlog.core.internal;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Logs a WARN at most once per interval, saying how many were suppressed in between. */
public final class RateLimitedLog {
    private final Logger logger;
    private final long intervalNanos;
    private final AtomicLong nextAllowed = new AtomicLong(Long.MIN_VALUE);
    private final LongAdder suppressed = new LongAdder();

    public RateLimitedLog(Logger logger, Duration interval) {
        this.logger = logger;
        this.intervalNanos = interval.toNanos();
    }

    /** Arguments must never contain a raw IP address. */
    public void warn(String format, @Nullable Object... args) {
        if (tryAcquire()) {
            log(format, args);
        }
    }

    /**
     * Whether a warning may be logged now; if not, it is counted as suppressed. Lets a hot path skip building the
     * arguments of a warning that would not be logged: {@code if (tryAcquire()) log(...)}.
     */
    public boolean tryAcquire() {
        long now = System.nanoTime();
        long allowed = nextAllowed.get();
        if ((allowed != Long.MIN_VALUE && now - allowed < 0) || !nextAllowed.compareAndSet(allowed, now + intervalNanos)) {
            suppressed.increment();
            return false;
        }
        return true;
    }

    /** Logs after a successful {@link #tryAcquire()}. Arguments must never contain a raw IP address. */
    public void log(String format, Object... args) {
        long skipped = suppressed.sumThenReset();
        if (skipped > 0) {
            logger.warn(format + " [{} similar warning(s) suppressed]", append(args, skipped));
        } else {
            logger.warn(format, args);
        }
    }

    private static Object[] append(Object[] args, long skipped) {
        // SLF4J takes a trailing Throwable as the exception; keep it last.
        Object[] out = new Object[args.length + 1];
        if (args.length > 0 && args[args.length - 1] instanceof Throwable t) {
            System.arraycopy(args, 0, out, 0, args.length - 1);
            out[args.length - 1] = skipped;
            out[args.length] = t;
        } else {
            System.arraycopy(args, 0, out, 0, args.length);
            out[args.length] = skipped;
        }
        return out;
    }
}
