package io.listenlog.spring.boot;

import io.listenlog.core.ListenLogListener;
import io.listenlog.core.ListenLogMetrics;
import io.listenlog.core.ListenLogger;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * DOWN when the logger's store writes have been failing (transiently: retried) for longer than a threshold, with the time the failures
 * began and the last failure's class (never its message, which may quote a row); UP otherwise. Its details carry
 * the logger's counts.
 */
public final class ListenLogHealthIndicator implements HealthIndicator {

    private final ListenLogger logger;
    private final Duration failingThreshold;
    private final Clock clock;
    private volatile @Nullable Instant failingSince;
    private volatile @Nullable String lastFailure;

    /** Watches {@code logger}; DOWN once its writes have failed for longer than {@code failingThreshold}. */
    public ListenLogHealthIndicator(ListenLogger logger, Duration failingThreshold) {
        this(logger, failingThreshold, Clock.systemUTC());
    }

    ListenLogHealthIndicator(ListenLogger logger, Duration failingThreshold, Clock clock) {
        this.logger = Objects.requireNonNull(logger, "logger");
        this.failingThreshold = Objects.requireNonNull(failingThreshold, "failingThreshold");
        if (failingThreshold.isNegative()) {
            throw new IllegalArgumentException("failingThreshold must not be negative, got " + failingThreshold);
        }
        this.clock = clock;
        logger.addListener(new ListenLogListener() {
            @Override
            public void onBatchWritten(int events, Duration took) {
                failingSince = null;
            }

            @Override
            public void onWriteFailed(Throwable failure, int events, boolean willRetry) {
                if (!willRetry) {
                    return; // events the store rejected: counted in the metrics, not a failing writer
                }
                lastFailure = failure.getClass().getName();
                if (failingSince == null) {
                    failingSince = clock.instant();
                }
            }
        });
    }

    @Override
    public Health health() {
        ListenLogMetrics m = logger.metrics();
        Instant since = failingSince;
        Health.Builder health = since != null && Duration.between(since, clock.instant()).compareTo(failingThreshold) > 0
                ? Health.down().withDetail("failingSince", since.toString())
                        .withDetail("lastFailure", String.valueOf(lastFailure))
                : Health.up();
        return health.withDetail("accepted", m.accepted()).withDetail("written", m.written())
                .withDetail("dropped", m.dropped()).withDetail("rejected", m.rejected())
                .withDetail("abandoned", m.abandoned()).withDetail("pending", m.pending())
                .withDetail("queueDepth", m.queueDepth()).withDetail("retries", m.retries())
                .build();
    }
}
