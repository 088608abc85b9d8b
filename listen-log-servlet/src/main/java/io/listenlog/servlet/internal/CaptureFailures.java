package io.listenlog.servlet.internal;

import io.listenlog.core.internal.RateLimitedLog;
import org.slf4j.Logger;

import java.time.Duration;

/** The one place the capture parts report their own failures: rate-limited, never with the failure's message. */
public final class CaptureFailures {
    private final RateLimitedLog log;

    public CaptureFailures(Logger logger) {
        this.log = new RateLimitedLog(logger, Duration.ofSeconds(10));
    }

    /** Only the exception's class: a message from a store or an anonymizer might quote a client address. */
    public void warn(String what, RuntimeException e) {
        log.warn("listen-log {} and left the response alone: {}", what, e.getClass().getName());
    }
}
