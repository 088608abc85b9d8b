package io.listenlog.core;

import io.listenlog.core.internal.Counters;
import io.listenlog.core.internal.EventNormalizer;
import io.listenlog.core.internal.EventWriter;
import io.listenlog.core.internal.RateLimitedLog;
import io.listenlog.core.internal.RetryBackoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;

/**
 * Records listens without making the caller wait for the database.
 *
 * <pre>{@code
 * ListenLogger logger = ListenLogger.builder()
 *         .store(JdbcListenStore.create(dataSource))
 *         .anonymizer(IpAnonymizer.fromEnvironment())
 *         .build();
 * logger.log(ListenRequest.of(sourceId, clientIp, userAgent, referrer));
 * ...
 * logger.close();   // drains what is queued, within shutdownTimeout
 * }</pre>
 *
 * <p>Thread-safe. Every request passed to {@link #log} is accounted for in {@link #metrics()}: dropped, or accepted
 * and then written, rejected or abandoned.
 */
public final class ListenLogger implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ListenLogger.class);

    private final Clock clock;
    private final Counters counters;
    private final ListenDispatcher dispatcher;
    private final Duration shutdownTimeout;
    private final RateLimitedLog dropWarnings = new RateLimitedLog(LOG, Duration.ofSeconds(10));
    private final Thread shutdownHook;
    private final CountDownLatch closeDone = new CountDownLatch(1);
    private volatile boolean closed;

    private ListenLogger(Builder b, int batchSize) {
        this.clock = b.clock;
        this.shutdownTimeout = b.shutdownTimeout;
        this.counters = new Counters();
        EventNormalizer normalizer = new EventNormalizer(b.anonymizer, b.maxUserAgentLength, b.maxReferrerLength,
                b.keepReferrerQuery);
        ListenSink sink = new EventWriter(b.store, normalizer, counters,
                new RetryBackoff(b.retryInitialBackoff, b.retryMaxBackoff));
        DispatchSettings settings = new DispatchSettings(b.queueCapacity, batchSize, b.maxBatchDelay,
                b.overflowPolicy, b.shutdownTimeout);
        this.dispatcher = Objects.requireNonNull(b.dispatcherFactory.create(sink, settings),
                "the dispatcher factory returned null");
        this.shutdownHook = b.closeOnShutdown ? new Thread(this::close, "listen-log-shutdown") : null;
        if (shutdownHook != null) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Hands one play to the dispatcher. Stamps {@code occurredAt} from the clock when the request has none.
     *
     * <p>Never throws because of the store and never blocks under {@link OverflowPolicy#DROP}; under
     * {@link OverflowPolicy#BLOCK} it waits for room in the queue.
     *
     * @return {@code true} when accepted; {@code false} when dropped (queue full under {@code DROP}) or after close
     * @throws NullPointerException if {@code request} is null
     */
    public boolean log(ListenRequest request) {
        Objects.requireNonNull(request, "request");
        if (closed) {
            return drop("the logger is closed", null);
        }
        Instant receivedAt = request.occurredAt() == null ? clock.instant() : null;
        counters.accepted.increment();
        boolean accepted;
        try {
            accepted = dispatcher.dispatch(request, receivedAt);
        } catch (RuntimeException e) {
            counters.accepted.decrement();
            return drop("the dispatcher failed", e);
        }
        if (!accepted) {
            counters.accepted.decrement();
            return drop(closed ? "the logger is closed" : "the queue is full", null);
        }
        return true;
    }

    private boolean drop(String why, RuntimeException cause) {
        counters.dropped.increment();
        if (dropWarnings.tryAcquire()) {
            long dropped = counters.dropped.sum();
            String format = "listen-log dropped a listen: {} (dropped so far: {})";
            if (cause == null) {
                dropWarnings.log(format, why, dropped);
            } else {
                dropWarnings.log(format, why, dropped, cause);
            }
        }
        return false;
    }

    /**
     * Waits until every event accepted before this call is written or rejected (or abandoned by a close).
     *
     * @return {@code true} if that happened within {@code timeout}
     */
    public boolean flush(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return dispatcher.flush(timeout);
    }

    /** A consistent snapshot of the counters. */
    public ListenLogMetrics metrics() {
        return counters.snapshot(dispatcher.queueDepth());
    }

    /**
     * Stops accepting, writes what is queued within {@code shutdownTimeout}, and abandons (and logs at ERROR) what it
     * could not write by then. Idempotent: a concurrent or later call returns once the first one has finished.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                awaitClose();
                return;
            }
            closed = true;
        }
        try {
            if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException jvmShuttingDown) {
                    // The hook is running or about to; close() is idempotent.
                }
            }
            long abandonedBefore = counters.abandoned.get();
            dispatcher.close(shutdownTimeout);
            long abandoned = counters.abandoned.get() - abandonedBefore;
            if (abandoned > 0) {
                LOG.error("listen-log closed and abandoned {} listen(s) it could not write within {}: {}",
                        abandoned, shutdownTimeout, metrics());
            }
        } finally {
            closeDone.countDown();
        }
    }

    /** A second caller of close() returns when the first one has finished, not while it is still draining. */
    private void awaitClose() {
        try {
            closeDone.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Configures a {@link ListenLogger}; {@link #store} and {@link #anonymizer} are required. */
    public static final class Builder {
        private ListenStore store;
        private IpAnonymizer anonymizer;
        private int queueCapacity = 16_384;
        private static final int DEFAULT_BATCH_SIZE = 1000;
        private Integer batchSize;
        private Duration maxBatchDelay = Duration.ofMillis(100);
        private OverflowPolicy overflowPolicy = OverflowPolicy.DROP;
        private Duration shutdownTimeout = Duration.ofSeconds(10);
        private Duration retryInitialBackoff = Duration.ofMillis(100);
        private Duration retryMaxBackoff = Duration.ofSeconds(30);
        private int maxUserAgentLength = 512;
        private int maxReferrerLength = 1024;
        private boolean keepReferrerQuery;
        private Clock clock = Clock.systemUTC();
        private ListenDispatcher.Factory dispatcherFactory = ListenDispatchers.batching();
        private boolean closeOnShutdown = true;

        private Builder() {
        }

        /** Where events are written. Required. */
        public Builder store(ListenStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** How client addresses are anonymized, e.g. {@link IpAnonymizer#fromEnvironment()}. Required. */
        public Builder anonymizer(IpAnonymizer anonymizer) {
            this.anonymizer = Objects.requireNonNull(anonymizer, "anonymizer");
            return this;
        }

        /** How many accepted events may wait for the writer; default 16384. */
        public Builder queueCapacity(int queueCapacity) {
            this.queueCapacity = positive(queueCapacity, "queueCapacity");
            return this;
        }

        /** The most events per store write (one transaction); default 1000, or {@code queueCapacity} if smaller. */
        public Builder batchSize(int batchSize) {
            this.batchSize = positive(batchSize, "batchSize");
            return this;
        }

        /** The longest an event waits in the queue before the writer takes it; default 100 ms. */
        public Builder maxBatchDelay(Duration maxBatchDelay) {
            this.maxBatchDelay = positive(maxBatchDelay, "maxBatchDelay");
            return this;
        }

        /** What {@code log} does when the queue is full; default {@link OverflowPolicy#DROP}. */
        public Builder overflowPolicy(OverflowPolicy overflowPolicy) {
            this.overflowPolicy = Objects.requireNonNull(overflowPolicy, "overflowPolicy");
            return this;
        }

        /** How long {@code close} keeps writing (and retrying) before it abandons the rest; default 10 s. */
        public Builder shutdownTimeout(Duration shutdownTimeout) {
            Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
            if (shutdownTimeout.isNegative()) {
                throw new IllegalArgumentException("shutdownTimeout must not be negative, got " + shutdownTimeout);
            }
            this.shutdownTimeout = shutdownTimeout;
            return this;
        }

        /**
         * The wait before the first retry of a transiently failed write, doubling (with jitter) up to {@code max};
         * defaults 100 ms and 30 s.
         */
        public Builder retryBackoff(Duration initial, Duration max) {
            positive(initial, "initial retry backoff");
            positive(max, "max retry backoff");
            if (max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("max retry backoff " + max + " is shorter than initial " + initial);
            }
            this.retryInitialBackoff = initial;
            this.retryMaxBackoff = max;
            return this;
        }

        /** User agents longer than this many characters are cut; default 512. */
        public Builder maxUserAgentLength(int maxUserAgentLength) {
            this.maxUserAgentLength = positive(maxUserAgentLength, "maxUserAgentLength");
            return this;
        }

        /** Referrers longer than this many characters are cut; default 1024. */
        public Builder maxReferrerLength(int maxReferrerLength) {
            this.maxReferrerLength = positive(maxReferrerLength, "maxReferrerLength");
            return this;
        }

        /**
         * Whether to keep the referrer's query string and fragment. Default {@code false}: they often carry session
         * tokens, e-mail addresses or search terms, so only scheme, host and path are stored.
         */
        public Builder keepReferrerQuery(boolean keepReferrerQuery) {
            this.keepReferrerQuery = keepReferrerQuery;
            return this;
        }

        /** The clock that stamps requests without {@code occurredAt}; default {@link Clock#systemUTC()}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How requests travel to the store; default {@link ListenDispatchers#batching()}. */
        public Builder dispatcher(ListenDispatcher.Factory dispatcherFactory) {
            this.dispatcherFactory = Objects.requireNonNull(dispatcherFactory, "dispatcher");
            return this;
        }

        /**
         * Whether a JVM shutdown hook closes the logger if the host has not (default {@code true}), so that what is
         * queued is written, within {@code shutdownTimeout}, when the process ends. {@link #close()} removes the hook.
         * Turn it off when the host closes the logger from its own shutdown sequence, for example after stopping its
         * HTTP server and before closing its connection pool.
         */
        public Builder closeOnShutdown(boolean closeOnShutdown) {
            this.closeOnShutdown = closeOnShutdown;
            return this;
        }

        /**
         * Builds and starts the logger.
         *
         * @throws IllegalStateException if the store or the anonymizer is missing, or {@code batchSize} exceeds
         *                               {@code queueCapacity}
         */
        public ListenLogger build() {
            if (store == null) {
                throw new IllegalStateException("ListenLogger needs a store: call store(...), e.g. with "
                        + "JdbcListenStore.create(dataSource)");
            }
            if (anonymizer == null) {
                throw new IllegalStateException("ListenLogger needs an anonymizer: call anonymizer(...), e.g. with "
                        + "IpAnonymizer.fromEnvironment()");
            }
            if (batchSize != null && batchSize > queueCapacity) {
                throw new IllegalStateException("batchSize " + batchSize + " exceeds queueCapacity " + queueCapacity);
            }
            return new ListenLogger(this, batchSize != null ? batchSize : Math.min(DEFAULT_BATCH_SIZE, queueCapacity));
        }

        private static int positive(int value, String name) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be positive, got " + value);
            }
            return value;
        }

        private static Duration positive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + value);
            }
            return value;
        }
    }
}
