package io.listenlog.core;

import io.listenlog.core.internal.EventNormalizer;
import io.listenlog.core.internal.Checks;
import io.listenlog.core.internal.ListenPipeline;
import io.listenlog.core.internal.RotatingHmacAnonymizer;
import io.listenlog.core.internal.RetryBackoff;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

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

    /** The largest {@code queueCapacity}: a full queue of that size already holds gigabytes of requests. */
    public static final int MAX_QUEUE_CAPACITY = 1 << 24;

    private final Clock clock;
    private final IpAnonymizer anonymizer;
    private final ListenPipeline pipeline;
    private final Duration shutdownTimeout;
    private final long maxListenSeconds;
    private final ListenerIdentity listenerIdentity;
    private final @Nullable Thread shutdownHook;
    private final CountDownLatch closeDone = new CountDownLatch(1);
    private volatile boolean closed;
    /** A private lock: the logger is the host's object, which the host may lock for its own reasons. */
    private final Object closeLock = new Object();

    private ListenLogger(Builder b, int batchSize) {
        this.clock = b.clock;
        this.anonymizer = Objects.requireNonNull(b.anonymizer, "anonymizer");
        this.shutdownTimeout = b.shutdownTimeout;
        this.maxListenSeconds = b.maxListenDuration.getSeconds();
        this.listenerIdentity = b.listenerIdentity;
        EventNormalizer normalizer = new EventNormalizer(anonymizer, b.maxUserAgentLength, b.maxReferrerLength,
                b.keepReferrerQuery, b.clientClassifier, b.privacyPreset != null, b.listenerIdentity, b.geoLookup);
        this.pipeline = new ListenPipeline(Objects.requireNonNull(b.store, "store"), normalizer,
                new RetryBackoff(b.retryInitialBackoff, b.retryMaxBackoff),
                new ListenPipeline.Settings(b.queueCapacity, batchSize, b.maxBatchDelay, b.overflowPolicy,
                        b.blockTimeout, b.threadFactory));
        this.shutdownHook = b.closeOnShutdown ? new Thread(this::close, "listen-log-shutdown") : null;
        if (shutdownHook != null) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Queues one play for the writer. Stamps {@code occurredAt} from the clock when the request has none.
     *
     * <p>Never throws because of the store and never blocks under {@link OverflowPolicy#DROP}; under
     * {@link OverflowPolicy#BLOCK} it waits for room in the queue, at most {@code blockTimeout}.
     *
     * @return {@code true} when accepted; {@code false} when dropped (queue full, or after close)
     * @throws NullPointerException if {@code request} is null
     */
    public boolean log(ListenRequest request) {
        Objects.requireNonNull(request, "request");
        return pipeline.offer(request, request.occurredAt() == null ? clock.instant() : null);
    }

    /**
     * Records how long the listen {@code listenId} has been listened to so far: queued through the same pipeline as
     * the plays, after them, so it follows its own listen even while that is still queued. The store keeps the
     * larger of the stored and the new value, so repeated or out-of-order updates are harmless; a value above
     * {@code maxListenDuration} is cut to it. An update naming a listen that is not stored is counted in
     * {@code metrics().progress().unknown()} and logged at DEBUG, never an error for the caller.
     *
     * <p>Never blocks under {@link OverflowPolicy#DROP}; under {@link OverflowPolicy#BLOCK} it waits like
     * {@link #log}.
     *
     * @return {@code true} when accepted; {@code false} when dropped (queue full, or after close)
     * @throws IllegalArgumentException if {@code listened} is negative
     */
    public boolean progress(UUID listenId, Duration listened) {
        Objects.requireNonNull(listenId, "listenId");
        Objects.requireNonNull(listened, "listened");
        if (listened.isNegative()) {
            throw new IllegalArgumentException("listened must not be negative, got " + listened);
        }
        return pipeline.offer(new ListenProgress(listenId, (int) Math.min(listened.getSeconds(), maxListenSeconds)));
    }

    /**
     * Waits until every event accepted before this call is written or rejected (or abandoned by a close).
     *
     * @return {@code true} if that happened within {@code timeout}
     */
    public boolean flush(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return pipeline.flush(timeout);
    }

    /** The clock this logger stamps plays with, for the capture parts that build on it. */
    public Clock clock() {
        return clock;
    }

    /** What makes two listens one listener for this logger ({@link Builder#listenerIdentity}). */
    public ListenerIdentity listenerIdentity() {
        return listenerIdentity;
    }

    /** The longest listening time this logger records for one listen ({@link Builder#maxListenDuration}). */
    public Duration maxListenDuration() {
        return Duration.ofSeconds(maxListenSeconds);
    }

    /**
     * The anonymizer this logger hashes addresses with. The servlet filter derives the key that signs its listen
     * tokens from it, so that instances which hash alike also sign alike.
     */
    public IpAnonymizer anonymizer() {
        return anonymizer;
    }

    /** A consistent snapshot of the counters. */
    public ListenLogMetrics metrics() {
        return pipeline.metrics();
    }

    /** Adds a listener that observes every store write from now on; see {@link ListenLogListener}. */
    public void addListener(ListenLogListener listener) {
        pipeline.addListener(Objects.requireNonNull(listener, "listener"));
    }

    /** Removes a listener added with {@link #addListener}; does nothing if it is not there. */
    public void removeListener(ListenLogListener listener) {
        pipeline.removeListener(listener);
    }

    /**
     * Stops accepting, writes what is queued within {@code shutdownTimeout}, and abandons (and logs at ERROR) what it
     * could not write by then. Idempotent: a concurrent or later call returns once the first one has finished.
     */
    @Override
    public void close() {
        synchronized (closeLock) {
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
            long abandonedBefore = pipeline.abandoned();
            pipeline.close(shutdownTimeout);
            long abandoned = pipeline.abandoned() - abandonedBefore;
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
        private @Nullable ListenStore store;
        private @Nullable IpAnonymizer anonymizer;
        private int queueCapacity = 16_384;
        private static final int DEFAULT_BATCH_SIZE = 1000;
        private @Nullable Integer batchSize;
        private Duration maxBatchDelay = Duration.ofMillis(100);
        private OverflowPolicy overflowPolicy = OverflowPolicy.DROP;
        private Duration blockTimeout = Duration.ofSeconds(1);
        private Duration maxListenDuration = Duration.ofHours(24);
        private Duration shutdownTimeout = Duration.ofSeconds(10);
        private Duration retryInitialBackoff = Duration.ofMillis(100);
        private Duration retryMaxBackoff = Duration.ofSeconds(30);
        private int maxUserAgentLength = 512;
        private int maxReferrerLength = 1024;
        private boolean keepReferrerQuery;
        private Clock clock = Clock.systemUTC();
        private ClientClassifier clientClassifier = ClientClassifier.opawg();
        private @Nullable PrivacyPreset privacyPreset;
        private ListenerIdentity listenerIdentity = ListenerIdentity.ADDRESS_AND_USER_AGENT;
        private @Nullable GeoLookup geoLookup;
        private ThreadFactory threadFactory = Builder::writerThread;
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

        /** How many accepted events may wait for the writer; default 16384, at most {@value #MAX_QUEUE_CAPACITY}. */
        public Builder queueCapacity(int queueCapacity) {
            positive(queueCapacity, "queueCapacity");
            if (queueCapacity > MAX_QUEUE_CAPACITY) {
                throw new IllegalArgumentException("queueCapacity must be at most " + MAX_QUEUE_CAPACITY + ", got "
                        + queueCapacity + ": a larger queue only hides a store that cannot keep up; make batches "
                        + "larger or the store faster instead");
            }
            this.queueCapacity = queueCapacity;
            return this;
        }

        /**
         * The events per store write (one transaction) of a site the writer keeps up with; default 1000, or
         * {@code queueCapacity} if smaller. While a backlog waits the writer takes up to 8 times as many in one write
         * (at most {@code queueCapacity} and 16,384), so that a store that fell behind catches up.
         */
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

        /**
         * Under {@link OverflowPolicy#BLOCK}, the longest {@code log} waits for room before the play is dropped (and
         * counted); default 1 s. It bounds how many request threads pile up while the store is down.
         */
        public Builder blockTimeout(Duration blockTimeout) {
            this.blockTimeout = positive(blockTimeout, "blockTimeout");
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

        /** User agents longer than this many characters are cut; default 512, at most 2048. */
        public Builder maxUserAgentLength(int maxUserAgentLength) {
            this.maxUserAgentLength = atMostCaptured(maxUserAgentLength, ListenRequest.MAX_USER_AGENT_LENGTH,
                    "maxUserAgentLength");
            return this;
        }

        /** Referrers longer than this many characters are cut; default 1024, at most 4096. */
        public Builder maxReferrerLength(int maxReferrerLength) {
            this.maxReferrerLength = atMostCaptured(maxReferrerLength, ListenRequest.MAX_REFERRER_LENGTH,
                    "maxReferrerLength");
            return this;
        }

        private static int atMostCaptured(int value, int captured, String name) {
            positive(value, name);
            if (value > captured) {
                throw new IllegalArgumentException(name + " must be at most " + captured
                        + ", the length a ListenRequest keeps when it is captured; got " + value);
            }
            return value;
        }

        /**
         * Whether to keep the referrer's query string and fragment. Default {@code false}: they often carry session
         * tokens, e-mail addresses or search terms, so only scheme, host and path are stored.
         */
        public Builder keepReferrerQuery(boolean keepReferrerQuery) {
            this.keepReferrerQuery = keepReferrerQuery;
            return this;
        }

        /**
         * Classifies each listen's client (a person's player or a bot, which app, which platform) on the writer
         * thread; default {@link ClientClassifier#opawg()}. {@code null} stores no classification.
         */
        public Builder clientClassifier(ClientClassifier clientClassifier) {
            this.clientClassifier = clientClassifier;
            return this;
        }

        /**
         * What makes two listens one listener (default {@link ListenerIdentity#ADDRESS_AND_USER_AGENT}). Listens
         * keep the rule they were logged with.
         */
        public Builder listenerIdentity(ListenerIdentity listenerIdentity) {
            this.listenerIdentity = Objects.requireNonNull(listenerIdentity, "listenerIdentity");
            return this;
        }

        /**
         * Locates each listener's address (country and region) on the writer thread before it is anonymized; none
         * by default. The CNIL preset keeps it: country-level location is within its exemption.
         */
        public Builder geoLookup(GeoLookup geoLookup) {
            this.geoLookup = Objects.requireNonNull(geoLookup, "geoLookup");
            return this;
        }

        /**
         * Applies a privacy preset (see {@link PrivacyPreset#CNIL_AUDIENCE_MEASUREMENT} for what it does); default
         * none. {@link #build()} then refuses settings the preset rules out, saying which.
         */
        public Builder privacyPreset(PrivacyPreset privacyPreset) {
            this.privacyPreset = privacyPreset;
            return this;
        }

        /** The clock that stamps requests without {@code occurredAt}; default {@link Clock#systemUTC()}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The longest listening time {@link ListenLogger#progress} records for one listen; larger values are cut to
         * it. Default 24 h; at most {@value Integer#MAX_VALUE} seconds.
         */
        public Builder maxListenDuration(Duration maxListenDuration) {
            positive(maxListenDuration, "maxListenDuration");
            if (maxListenDuration.getSeconds() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("maxListenDuration must be at most " + Integer.MAX_VALUE
                        + " seconds, got " + maxListenDuration);
            }
            this.maxListenDuration = maxListenDuration;
            return this;
        }

        /**
         * Makes the one writer thread, for hosts that need their own (a container's managed factory, or
         * {@code Thread.ofVirtual().factory()} on Java 21). Default: a daemon platform thread named
         * {@code listen-log-writer-N}. All anonymization and store work happens on that thread.
         */
        public Builder threadFactory(ThreadFactory threadFactory) {
            this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
            return this;
        }

        private static final AtomicInteger WRITER_NUMBERS = new AtomicInteger();

        private static Thread writerThread(Runnable writer) {
            Thread thread = new Thread(writer, "listen-log-writer-" + WRITER_NUMBERS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
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
            if (privacyPreset == PrivacyPreset.CNIL_AUDIENCE_MEASUREMENT) {
                if (!(anonymizer instanceof RotatingHmacAnonymizer)) {
                    throw new IllegalStateException("the CNIL_AUDIENCE_MEASUREMENT preset needs per-site, time-limited"
                            + " keys: use IpAnonymizer.dailyRotating(JdbcDailyKeyStore.create(dataSource)) as the"
                            + " anonymizer, not " + anonymizer.getClass().getSimpleName());
                }
                if (clientClassifier == null) {
                    throw new IllegalStateException("the CNIL_AUDIENCE_MEASUREMENT preset stores the user agent as its"
                            + " class and app only, so it needs a clientClassifier: leave the default"
                            + " ClientClassifier.opawg() or give one");
                }
                if (keepReferrerQuery) {
                    throw new IllegalStateException("the CNIL_AUDIENCE_MEASUREMENT preset stores the referrer's host"
                            + " only: remove keepReferrerQuery(true)");
                }
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
            return Checks.positive(value, name);
        }
    }
}
