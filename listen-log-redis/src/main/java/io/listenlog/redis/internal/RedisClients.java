package io.listenlog.redis.internal;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.Objects;

/** How listen-log's Redis clients are made and checked: fail fast while Redis is away, never queue blindly. */
public final class RedisClients {

    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(5);

    private RedisClients() {
    }

    public static RedisClient create(String uri, Duration commandTimeout) {
        RedisURI redisUri;
        try {
            redisUri = RedisURI.create(uri);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a Redis URI: give one like redis://127.0.0.1:6379 ("
                    + e.getMessage() + ")", e);
        }
        RedisClient client = RedisClient.create(redisUri);
        client.setOptions(ClientOptions.builder()
                // Commands issued while disconnected fail at once (a transient failure the caller retries) instead
                // of piling up in Lettuce's unbounded buffer.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .build());
        return client;
    }

    /** The client a store or consumer works with, and the one it made itself and must shut down, if any. */
    public record Chosen(RedisClient client, @Nullable RedisClient owned) {
    }

    /** The host's client when it gave one, else a new one for {@code uri}, owned. */
    public static Chosen choose(@Nullable RedisClient given, @Nullable String uri, Duration commandTimeout) {
        if (given != null) {
            return new Chosen(given, null);
        }
        RedisClient created = create(Objects.requireNonNull(uri, "uri"), commandTimeout);
        return new Chosen(created, created);
    }

    /** Where a client connects, without credentials. */
    public static String describe(@Nullable String uri, RedisClient client) {
        if (uri == null) {
            return "the given RedisClient";
        }
        RedisURI parsed = RedisURI.create(uri);
        return parsed.getHost() + ":" + parsed.getPort();
    }

    public static String requireKey(String key, String name) {
        Objects.requireNonNull(key, name);
        if (key.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return key;
    }
}
