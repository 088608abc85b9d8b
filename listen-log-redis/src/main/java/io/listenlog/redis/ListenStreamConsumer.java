package io.listenlog.redis;

import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.listenlog.core.ListenStore;
import io.listenlog.core.internal.Checks;
import io.listenlog.redis.internal.BatchSettler;
import io.listenlog.redis.internal.ConsumerCounters;
import io.listenlog.redis.internal.ConsumerRetries;
import io.listenlog.redis.internal.ReadLoop;
import io.listenlog.redis.internal.RedisClients;
import io.listenlog.redis.internal.XInfo;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;

/**
 * A worker in a Redis consumer group that stores what a {@link RedisStreamListenStore} published: it reads batches
 * ({@code XREADGROUP}), writes their plays and then their progress updates through a {@link ListenStore} (normally
 * {@code io.listenlog.jdbc.JdbcListenStore}), and acknowledges ({@code XACK}) only what the store committed. Run any
 * number, in any processes: they share the work.
 *
 * <p><b>Exactly once.</b> Delivery is at least once: an entry whose consumer died before acknowledging is claimed by
 * another after {@link Builder#claimIdle(Duration)} ({@code XAUTOCLAIM}) and written again, and the store's write is
 * idempotent per listen id, so it is stored once.
 *
 * <p><b>What is never retried forever.</b> An entry no store could take (malformed, or rejected by the store, such as
 * an unknown source id) goes at once to the dead-letter stream, with a {@code reason} field. An entry delivered
 * {@link Builder#maxDeliveries(int)} times without being acknowledged (it killed its consumers) goes there when it is
 * claimed once more. A progress update whose listen is not stored yet (its play may be in another consumer's batch)
 * is put back on the stream up to {@code maxDeliveries} times, then counted as unknown. Transient store failures are
 * retried by the worker with capped backoff, holding its batch; they are not deliveries.
 *
 * <pre>{@code
 * ListenStreamConsumer consumer = ListenStreamConsumer.builder("redis://127.0.0.1:6379", jdbcStore).build().start();
 * ...
 * consumer.close();   // finishes and acknowledges the batch in hand
 * }</pre>
 */
public final class ListenStreamConsumer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ListenStreamConsumer.class);
    /** The dead-letter stream's default cap. */
    public static final long DEFAULT_DEAD_LETTER_MAX_LENGTH = 100_000;

    /** The consumer group every consumer joins unless configured otherwise. */
    public static final String DEFAULT_GROUP = "listen-log";

    private final @Nullable RedisClient ownedClient;
    private final RedisClient client;
    private final String stream;
    private final String group;
    private final String name;
    private final String deadLetterStream;
    private final int batchSize;
    private final Duration block;
    private final Duration claimIdle;
    private final int maxDeliveries;
    private final boolean failFast;
    private final ThreadFactory threadFactory;

    private final ConsumerCounters counters = new ConsumerCounters();
    private final ConsumerRetries retries = new ConsumerRetries(LOG, counters.failures);
    private final BatchSettler settler;
    private final ReadLoop readLoop;

    /** Guards start and close; private, since the consumer is the host's object and may be locked by it. */
    private final Object lifecycle = new Object();
    private volatile boolean running;
    private boolean closed;
    private volatile @Nullable Thread worker;
    private volatile @Nullable StatefulRedisConnection<String, String> workerConnection;
    private volatile @Nullable StatefulRedisConnection<String, String> statusConnection;
    private volatile boolean connected;

    private ListenStreamConsumer(Builder builder) {
        RedisClients.Chosen chosen = RedisClients.choose(builder.client, builder.uri, builder.commandTimeout);
        this.client = chosen.client();
        this.ownedClient = chosen.owned();
        this.stream = builder.stream;
        this.group = builder.group;
        this.name = builder.name != null ? builder.name
                : "consumer-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.deadLetterStream = builder.deadLetterStream != null ? builder.deadLetterStream : stream + ":dead";
        this.batchSize = builder.batchSize;
        this.block = builder.block;
        this.claimIdle = builder.claimIdle;
        this.maxDeliveries = builder.maxDeliveries;
        this.failFast = builder.failFast;
        this.threadFactory = builder.threadFactory;
        this.settler = new BatchSettler(builder.store, new BatchSettler.Settings(stream, group, name, deadLetterStream,
                builder.deadLetterMaxLength, builder.maxDeliveries, builder.maxListenDuration.getSeconds()), counters,
                retries, () -> running, LOG);
        this.readLoop = new ReadLoop(new ReadLoop.Settings(stream, group, name, batchSize, block, claimIdle,
                maxDeliveries), counters, retries, settler, LOG);
    }

    /** A builder for a consumer that connects to {@code redisUri} and writes through {@code store}. */
    public static Builder builder(String redisUri, ListenStore store) {
        return new Builder(Objects.requireNonNull(redisUri, "redisUri"), null, store);
    }

    /** A builder for a consumer on the host's own Lettuce client, which the host keeps and shuts down. */
    public static Builder builder(RedisClient client, ListenStore store) {
        return new Builder(null, Objects.requireNonNull(client, "client"), store);
    }

    /**
     * Connects, joins the consumer group (creating it, and the stream, at the stream's start when missing) and starts
     * the worker thread. With Redis away (and not {@link Builder#failFast}), it starts anyway, logs a warning, and the
     * worker connects once Redis is back.
     *
     * @return this consumer
     * @throws IllegalStateException when this consumer was started before, or with {@link Builder#failFast} when
     *                               Redis cannot be reached
     */
    public ListenStreamConsumer start() {
        synchronized (lifecycle) {
            return startLocked();
        }
    }

    private ListenStreamConsumer startLocked() {
        if (worker != null || closed) {
            throw new IllegalStateException("this consumer was already started; build a new one");
        }
        try {
            connect();
        } catch (RedisException e) {
            closeConnections();
            if (failFast) {
                throw new IllegalStateException("cannot start consumer " + name + " on Redis stream " + stream + ": "
                        + e.getMessage() + "; check the URI and that Redis is running", e);
            }
            LOG.warn("consumer {}: cannot reach Redis yet ({}); it connects once Redis is back", name, e.getMessage());
        }
        running = true;
        Thread thread = threadFactory.newThread(this::run);
        worker = thread;
        thread.start();
        return this;
    }

    /** Opens both connections and joins the group; on failure, what was opened stays for {@link #closeConnections}. */
    private void connect() {
        if (workerConnection == null) {
            workerConnection = client.connect();
        }
        if (statusConnection == null) {
            statusConnection = client.connect();
        }
        try {
            workerConnection.sync().xgroupCreate(XReadArgs.StreamOffset.from(stream, "0-0"), group,
                    XGroupCreateArgs.Builder.mkstream());
        } catch (RedisBusyException alreadyThere) {
            // another consumer created the group first
        }
        connected = true;
    }

    /** This consumer's name in the group (unique per instance unless set). */
    public String name() {
        return name;
    }

    /** Whether the worker is running: started, not closed, and not stopped by an error thrown by the store. */
    public boolean isRunning() {
        Thread thread = worker;
        return running && thread != null && thread.isAlive();
    }

    /**
     * This consumer's counters since it started, and the group's backlog read from Redis now (-1 while Redis cannot be
     * reached).
     *
     * @throws IllegalStateException when the consumer was not started
     */
    public Metrics metrics() {
        long lag = -1;
        long pending = -1;
        long deadLetters = -1;
        if (worker == null) {
            throw new IllegalStateException("start the consumer first");
        }
        StatefulRedisConnection<String, String> status = statusConnection;
        if (status != null && connected) {
            try {
                RedisCommands<String, String> redis = status.sync();
                Object lastDelivered = null;
                for (Object info : redis.xinfoGroups(stream)) {
                    Map<String, Object> fields = XInfo.pairs(info);
                    if (group.equals(fields.get("name"))) {
                        pending = XInfo.asLong(fields.get("pending"));
                        lag = XInfo.asLong(fields.get("lag"));
                        lastDelivered = fields.get("last-delivered-id");
                    }
                }
                // Redis 7.0 can keep a stale lag after a restart (its entries-read counter): a group that has been
                // given the stream's last entry has no lag, whatever the counter says.
                if (lastDelivered != null && String.valueOf(lastDelivered).equals(
                        String.valueOf(XInfo.pairs(redis.xinfoStream(stream)).get("last-generated-id")))) {
                    lag = 0;
                }
                deadLetters = redis.xlen(deadLetterStream);
            } catch (RedisException e) {
                LOG.debug("consumer {}: cannot read the group's backlog: {}", name, e.getMessage());
            }
        }
        return new Metrics(counters.entriesRead.get(), counters.claimed.get(), counters.playsWritten.get(),
                counters.progressApplied.get(), counters.progressRequeued.get(), counters.progressUnknown.get(),
                counters.deadLettered.get(), lag, pending, deadLetters, counters.deadLettersTrimmed.get(),
                counters.failures.get());
    }

    /** {@link #close(Duration)} with 30 seconds. */
    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    /**
     * Stops gracefully: stops reading, lets the worker finish (store and acknowledge) the batch in hand, and leaves
     * the group if it holds no pending entries. A batch whose store is still failing when the time is up stays
     * pending in Redis, for another consumer or the next start to claim: nothing is lost.
     *
     * @return {@code true} when the worker finished within {@code timeout}
     */
    public boolean close(Duration timeout) {
        synchronized (lifecycle) {
            return closeLocked(timeout);
        }
    }

    private boolean closeLocked(Duration timeout) {
        if (closed) {
            return true;
        }
        running = false;
        Thread thread = worker;
        boolean finished = true;
        if (thread != null) {
            LockSupport.unpark(thread);
            try {
                thread.join(Math.max(1, timeout.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            finished = !thread.isAlive();
            if (finished) {
                leaveGroupIfIdle();
            }
        }
        if (finished) {
            closed = true;
            closeConnections();
            if (ownedClient != null) {
                ownedClient.shutdown();
            }
        }
        return finished;
    }

    private void leaveGroupIfIdle() {
        if (statusConnection == null) {
            return;
        }
        try {
            RedisCommands<String, String> redis = statusConnection.sync();
            if (redis.xpending(stream, Consumer.from(group, name), Range.create("-", "+"), Limit.from(1)).isEmpty()) {
                redis.xgroupDelconsumer(stream, Consumer.from(group, name));
            }
        } catch (RedisException e) {
            LOG.debug("consumer {}: could not leave the group: {}", name, e.getMessage());
        }
    }

    private void closeConnections() {
        if (workerConnection != null) {
            workerConnection.close();
            workerConnection = null;
        }
        if (statusConnection != null) {
            statusConnection.close();
            statusConnection = null;
        }
    }

    private void run() {
        int attempts = 0;
        while (running && !connected && !Thread.currentThread().isInterrupted()) {
            try {
                connect();
            } catch (RedisException e) {
                retries.warn("consumer " + name + ": Redis is still away (" + e.getMessage() + "); retrying");
                retries.backoff(++attempts);
            }
        }
        if (!connected) {
            running = false;
            return;
        }
        readLoop.run(Objects.requireNonNull(workerConnection, "connected").sync(), () -> running,
                () -> running = false);
    }

    @Override
    public String toString() {
        return "ListenStreamConsumer[" + name + " in " + group + " on " + stream + "]";
    }

    /**
     * A consumer's counters since it started, and its group's backlog.
     *
     * @param entriesRead      entries this consumer received, read or claimed
     * @param claimed          entries it claimed from consumers that left them unacknowledged for {@code claimIdle}
     * @param playsWritten     plays the store committed (a play written again after a claim counts again here; the
     *                         store keeps it once)
     * @param progressApplied  progress updates the store applied
     * @param progressRequeued progress updates put back on the stream because their listen was not stored yet
     * @param progressUnknown  progress updates given up after {@code maxDeliveries} attempts: no such listen
     * @param deadLettered     entries this consumer moved to the dead-letter stream
     * @param lag              entries of the stream not yet delivered to the group, from Redis; -1 when unknown
     * @param pending          entries delivered to the group and not yet acknowledged, from Redis; -1 when unknown
     * @param deadLetterLength entries in the dead-letter stream (all consumers'), from Redis; -1 when unknown
     * @param deadLettersTrimmed the oldest dead letters this consumer removed to keep the stream within its cap
     * @param failures         failures it retried after a wait: Redis away or failing, the store failing
     *                         transiently, an acknowledgement that failed
     */
    public record Metrics(long entriesRead, long claimed, long playsWritten, long progressApplied,
                          long progressRequeued, long progressUnknown, long deadLettered, long lag, long pending,
                          long deadLetterLength, long deadLettersTrimmed, long failures) {

        /** The counters without {@code deadLettersTrimmed} and {@code failures} (0), as they were first. */
        public Metrics(long entriesRead, long claimed, long playsWritten, long progressApplied, long progressRequeued,
                       long progressUnknown, long deadLettered, long lag, long pending, long deadLetterLength) {
            this(entriesRead, claimed, playsWritten, progressApplied, progressRequeued, progressUnknown, deadLettered,
                    lag, pending, deadLetterLength, 0, 0);
        }
    }

    /** Configures a {@link ListenStreamConsumer}; every setting has a default. */
    public static final class Builder {
        private final @Nullable String uri;
        private final @Nullable RedisClient client;
        private final ListenStore store;
        private String stream = RedisStreamListenStore.DEFAULT_STREAM;
        private String group = DEFAULT_GROUP;
        private @Nullable String name;
        private @Nullable String deadLetterStream;
        private int batchSize = 500;
        private Duration block = Duration.ofSeconds(1);
        private Duration claimIdle = Duration.ofMinutes(1);
        private int maxDeliveries = 5;
        private Duration maxListenDuration = Duration.ofHours(24);
        private long deadLetterMaxLength = DEFAULT_DEAD_LETTER_MAX_LENGTH;
        private boolean failFast;
        private Duration commandTimeout = RedisClients.DEFAULT_COMMAND_TIMEOUT;
        private ThreadFactory threadFactory = runnable -> {
            Thread thread = new Thread(runnable, "listen-log-stream-consumer");
            thread.setDaemon(false);
            return thread;
        };

        private Builder(@Nullable String uri, @Nullable RedisClient client, ListenStore store) {
            this.uri = uri;
            this.client = client;
            this.store = Objects.requireNonNull(store, "store");
        }

        /** The stream to read; default {@value RedisStreamListenStore#DEFAULT_STREAM}. */
        public Builder stream(String stream) {
            this.stream = RedisClients.requireKey(stream, "stream");
            return this;
        }

        /** The consumer group; default {@value ListenStreamConsumer#DEFAULT_GROUP}. */
        public Builder group(String group) {
            this.group = RedisClients.requireKey(group, "group");
            return this;
        }

        /** This consumer's name in the group; default unique per instance ({@code consumer-<pid>-<random>}). */
        public Builder name(String name) {
            this.name = RedisClients.requireKey(name, "name");
            return this;
        }

        /** Where entries that can never be stored go; default the stream's key with {@code :dead} appended. */
        public Builder deadLetterStream(String deadLetterStream) {
            this.deadLetterStream = RedisClients.requireKey(deadLetterStream, "deadLetterStream");
            return this;
        }

        /** The most entries read and written at once; default 500. */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1 || batchSize > 10_000) {
                throw new IllegalArgumentException("batchSize must be between 1 and 10000, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /**
         * How long a read waits for new entries; default 1 s. {@link ListenStreamConsumer#close(Duration)} may wait
         * this long for the read in flight.
         */
        public Builder block(Duration block) {
            this.block = Checks.positive(block, "block");
            return this;
        }

        /** How long an entry stays unacknowledged before another consumer claims it; default 1 min. */
        public Builder claimIdle(Duration claimIdle) {
            this.claimIdle = Checks.positive(claimIdle, "claimIdle");
            return this;
        }

        /** How often an entry may be delivered before it is dead-lettered; default 5. */
        public Builder maxDeliveries(int maxDeliveries) {
            if (maxDeliveries < 1) {
                throw new IllegalArgumentException("maxDeliveries must be at least 1, got " + maxDeliveries);
            }
            this.maxDeliveries = maxDeliveries;
            return this;
        }

        /**
         * The longest listening time an entry may record, the publishing logger's {@code maxListenDuration}; longer
         * ones are cut to it, as the logger cuts them. Default 24 h.
         */
        public Builder maxListenDuration(Duration maxListenDuration) {
            this.maxListenDuration = Checks.positive(maxListenDuration, "maxListenDuration");
            return this;
        }

        /**
         * The most entries the dead-letter stream keeps; beyond it the oldest are removed, counted in
         * {@link Metrics#deadLettersTrimmed()} and logged. Default {@value ListenStreamConsumer#DEFAULT_DEAD_LETTER_MAX_LENGTH}.
         */
        public Builder deadLetterMaxLength(long deadLetterMaxLength) {
            if (deadLetterMaxLength < 1) {
                throw new IllegalArgumentException("deadLetterMaxLength must be at least 1, got " + deadLetterMaxLength);
            }
            this.deadLetterMaxLength = deadLetterMaxLength;
            return this;
        }

        /**
         * Whether {@link ListenStreamConsumer#start()} fails when Redis cannot be reached. Default {@code false}: the
         * consumer starts anyway, warns, and connects once Redis is back, so an application can start while Redis is
         * down.
         */
        public Builder failFast(boolean failFast) {
            this.failFast = failFast;
            return this;
        }

        /** How long a Redis command may take, for a client this consumer creates; default 5 s. */
        public Builder commandTimeout(Duration commandTimeout) {
            this.commandTimeout = Checks.positive(commandTimeout, "commandTimeout");
            return this;
        }

        /** Makes the worker thread; default a non-daemon thread named {@code listen-log-stream-consumer}. */
        public Builder threadFactory(ThreadFactory threadFactory) {
            this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
            return this;
        }

        /**
         * A consumer, not yet connected: {@link ListenStreamConsumer#start()} connects and starts it.
         *
         * @throws IllegalArgumentException when {@code block} is not shorter than {@code commandTimeout}
         */
        public ListenStreamConsumer build() {
            if (client == null && block.compareTo(commandTimeout) >= 0) {
                throw new IllegalArgumentException("block (" + block + ") must be shorter than commandTimeout ("
                        + commandTimeout + "), or every idle read times out");
            }
            return new ListenStreamConsumer(this);
        }
    }
}
