package io.listenlog.core.internal;

import io.listenlog.core.ClientClassifier;
import io.listenlog.core.ClientInfo;

import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers the classification of the user agents seen recently: an audience uses a few thousand distinct ones, and
 * matching one against the OPAWG lists tries hundreds of patterns. Each user agent is kept with the origin of its
 * referrer, which names web players. When the cache is full it starts over. A
 * classifier that fails or returns {@code null} leaves the event unclassified (never lost), with a WARN at most every
 * 10 seconds.
 */
final class CachingClassifier {
    static final int CAPACITY = 10_000;

    private final ClientClassifier delegate;
    private final ConcurrentHashMap<Key, ClientInfo> cache = new ConcurrentHashMap<>();
    private final RateLimitedLog failures = new RateLimitedLog(LoggerFactory.getLogger(CachingClassifier.class),
            Duration.ofSeconds(10));

    CachingClassifier(ClientClassifier delegate) {
        this.delegate = delegate;
    }

    /** A user agent and the origin of the page it came from: referrers are cut to it, so few pairs recur. */
    private record Key(String userAgent, @Nullable String referrerOrigin) {
    }

    /** The delegate's classification, or {@code null} when it failed or returned none. */
    @Nullable ClientInfo classify(@Nullable String userAgent, @Nullable String referrerOrigin) {
        if (userAgent == null) {
            return classifyUncached(null, referrerOrigin);
        }
        Key key = new Key(userAgent, referrerOrigin);
        ClientInfo info = cache.get(key);
        if (info == null) {
            info = classifyUncached(userAgent, referrerOrigin);
            if (info != null) {
                if (cache.size() >= CAPACITY) {
                    cache.clear();
                }
                cache.put(key, info);
            }
        }
        return info;
    }

    private @Nullable ClientInfo classifyUncached(@Nullable String userAgent, @Nullable String referrerOrigin) {
        try {
            ClientInfo info = delegate.classify(userAgent, referrerOrigin);
            if (info == null) {
                failures.warn("listen-log's client classifier {} returned null; the listen is stored unclassified",
                        delegate.getClass().getName());
            }
            return info;
        } catch (RuntimeException e) {
            failures.warn("listen-log's client classifier {} failed ({}); the listen is stored unclassified",
                    delegate.getClass().getName(), e.toString());
            return null;
        }
    }
}
