package io.listenlog.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.listenlog.core.ListenEvent;
import io.listenlog.core.ListenProgress;
import io.listenlog.core.ListenStore;
import io.listenlog.core.ListenStoreException;
import io.listenlog.redis.internal.PublishScript;
import io.listenlog.core.internal.Checks;
import io.listenlog.redis.internal.RedisClients;
import io.listenlog.redis.internal.StreamEntries;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * A {@link ListenStore} that publishes each batch to a Redis stream, for a {@link ListenStreamConsumer} to store: the
 * web tier then never waits on the database, and bursts larger than the database can take wait in Redis.
 *
 * <p>Events arrive here already anonymized by the logger, so no raw address ever reaches Redis. A batch is appended
 * in one atomic server-side script, one entry per play or progress update: all of it or nothing.
 *
 * <p><b>The cap.</b> The stream holds at most {@link Builder#maxLength(long)} entries. Each publish first trims the
 * entries every consumer group has acknowledged ({@code XTRIM MINID ~}); if the entries still unacknowledged would
 * then exceed the cap, the batch is refused as a transient failure. The logger retries it, and once its own queue is
 * full it drops (or, at close, abandons) events and counts them in {@code ListenLogMetrics}. So the cap never deletes
 * an entry no consumer has stored: a stream that fills up shows in the logger's counters. Until a consumer group
 * exists, nothing is trimmed.
 *
 * <p>Redis unreachable, a timeout or a full stream are {@link ListenStoreException#transientFailure transient
 * failures}. {@link #updateDurations} publishes the updates and returns an empty set: whether a listen is stored is
 * known only to the consumer, which counts unknown ones.
 *
 * <pre>{@code
 * RedisStreamListenStore store = RedisStreamListenStore.builder("redis://127.0.0.1:6379").build();
 * ListenLogger logger = ListenLogger.builder().store(store).anonymizer(IpAnonymizer.fromEnvironment()).build();
 * }</pre>
 */
public final class RedisStreamListenStore implements ListenStore, AutoCloseable {

    /** The stream both sides use unless configured otherwise. */
    public static final String DEFAULT_STREAM = "listen-log:events";
    /** The default cap: about 1 GB of Redis memory at typical entry sizes. */
    public static final long DEFAULT_MAX_LENGTH = 1_000_000;

    private static final Logger LOG = LoggerFactory.getLogger(RedisStreamListenStore.class);

    private final @Nullable RedisClient ownedClient;
    private final RedisClient client;
    private final String where;
    private volatile @Nullable StatefulRedisConnection<String, String> connection;
    private final Object connectLock = new Object();
    private final String stream;
    private final long maxLength;
    private final String[] keys;
    private volatile @Nullable String scriptSha;

    private RedisStreamListenStore(Builder builder) {
        RedisClients.Chosen chosen = RedisClients.choose(builder.client, builder.uri, builder.commandTimeout);
        this.client = chosen.client();
        this.ownedClient = chosen.owned();
        this.where = RedisClients.describe(builder.uri, client);
        this.stream = builder.stream;
        this.maxLength = builder.maxLength;
        this.keys = new String[] {stream};
        try {
            connection();
        } catch (RedisException e) {
            if (builder.failFast) {
                if (ownedClient != null) {
                    ownedClient.shutdown();
                }
                throw new IllegalStateException("cannot connect to Redis at " + where + ": " + e.getMessage()
                        + "; check the URI and that Redis is running", e);
            }
            LOG.warn("listen-log cannot reach Redis at {} yet ({}): plays wait in the logger's queue, retried as"
                    + " transient failures, until it is back", where, e.getMessage());
        }
    }

    /** The connection, made on first use when Redis was away at start; Lettuce reconnects it afterwards. */
    private StatefulRedisConnection<String, String> connection() {
        StatefulRedisConnection<String, String> current = connection;
        if (current == null) {
            synchronized (connectLock) {  // private: the store is the host's object
                if (connection == null) {
                    connection = client.connect();
                }
                current = connection;
            }
        }
        return current;
    }

    /**
     * A builder for a store that connects to {@code redisUri} (for example {@code redis://127.0.0.1:6379}, or
     * {@code rediss://user:password@host:6380/0} with TLS) and closes its client when it is closed.
     */
    public static Builder builder(String redisUri) {
        return new Builder(Objects.requireNonNull(redisUri, "redisUri"), null);
    }

    /** A builder for a store on the host's own Lettuce client, which the host keeps and shuts down. */
    public static Builder builder(RedisClient client) {
        return new Builder(null, Objects.requireNonNull(client, "client"));
    }

    @Override
    public void write(List<ListenEvent> batch) {
        List<String> args = StreamEntries.newArgs(batch.size());
        args.add(Long.toString(maxLength));
        args.add(Integer.toString(batch.size()));
        for (ListenEvent event : batch) {
            StreamEntries.appendPlay(args, event);
        }
        publish(args, batch.size());
    }

    @Override
    public Set<UUID> updateDurations(List<ListenProgress> updates) {
        List<String> args = StreamEntries.newArgs(updates.size());
        args.add(Long.toString(maxLength));
        args.add(Integer.toString(updates.size()));
        for (ListenProgress update : updates) {
            StreamEntries.appendProgress(args, update);
        }
        publish(args, updates.size());
        return Set.of();
    }

    private void publish(List<String> args, int entries) {
        String[] values = args.toArray(new String[0]);
        long result;
        try {
            result = run(values);
        } catch (RedisException e) {
            throw ListenStoreException.transientFailure("Redis did not take the batch of " + entries + " entries: "
                    + e.getMessage(), e);
        }
        if (result < 0) {
            throw ListenStoreException.transientFailure("Redis stream " + stream + " is full: " + (-1 - result)
                    + " entries not yet acknowledged, cap " + maxLength + "; start or add ListenStreamConsumers, or"
                    + " raise maxLength", null);
        }
    }

    private long run(String[] values) {
        RedisCommands<String, String> redis = connection().sync();
        String sha = scriptSha;
        if (sha != null) {
            try {
                return redis.evalsha(sha, ScriptOutputType.INTEGER, keys, values);
            } catch (RedisNoScriptException e) {
                // Redis restarted or its script cache was flushed: load it again below.
            }
        }
        scriptSha = redis.scriptLoad(PublishScript.LUA);
        return redis.evalsha(scriptSha, ScriptOutputType.INTEGER, keys, values);
    }

    /** The stream this store publishes to. */
    public String stream() {
        return stream;
    }

    /** Closes the connection, and the client when this store created it. */
    @Override
    public void close() {
        StatefulRedisConnection<String, String> current = connection;
        if (current != null) {
            current.close();
        }
        if (ownedClient != null) {
            ownedClient.shutdown();
        }
    }

    @Override
    public String toString() {
        return "RedisStreamListenStore[stream=" + stream + ", maxLength=" + maxLength + "]";
    }

    /** Configures a {@link RedisStreamListenStore}; every setting has a default. */
    public static final class Builder {
        private final @Nullable String uri;
        private final @Nullable RedisClient client;
        private String stream = DEFAULT_STREAM;
        private long maxLength = DEFAULT_MAX_LENGTH;
        private Duration commandTimeout = RedisClients.DEFAULT_COMMAND_TIMEOUT;
        private boolean failFast;

        private Builder(@Nullable String uri, @Nullable RedisClient client) {
            this.uri = uri;
            this.client = client;
        }

        /** The stream key; default {@value RedisStreamListenStore#DEFAULT_STREAM}. The consumers must read the same. */
        public Builder stream(String stream) {
            this.stream = RedisClients.requireKey(stream, "stream");
            return this;
        }

        /**
         * The most entries the stream holds before publishing is refused (see the class comment); default
         * {@value RedisStreamListenStore#DEFAULT_MAX_LENGTH}, at least 10,000 so that a batch always fits.
         */
        public Builder maxLength(long maxLength) {
            if (maxLength < 10_000) {
                throw new IllegalArgumentException("maxLength must be at least 10000 so a batch always fits, got "
                        + maxLength);
            }
            this.maxLength = maxLength;
            return this;
        }

        /**
         * How long a Redis command may take before the write fails as transient, for a client this store creates;
         * default 5 s.
         */
        public Builder commandTimeout(Duration commandTimeout) {
            this.commandTimeout = Checks.positive(commandTimeout, "commandTimeout");
            return this;
        }

        /**
         * Whether {@link #build()} fails when Redis cannot be reached. Default {@code false}: like a connection pool
         * with a lazy start, the store is made anyway, logs a warning, and every write until Redis is back is a
         * transient failure, which the logger retries, then counts when its queue is full.
         */
        public Builder failFast(boolean failFast) {
            this.failFast = failFast;
            return this;
        }

        /**
         * Connects, or with Redis away (and not {@link #failFast}) connects on the first write.
         *
         * @throws IllegalStateException with {@link #failFast}, when Redis cannot be reached, with what to check
         * @throws IllegalArgumentException when the URI is malformed
         */
        public RedisStreamListenStore build() {
            return new RedisStreamListenStore(this);
        }
    }
}
