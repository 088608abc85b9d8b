package io.listenlog.core;

import io.listenlog.core.internal.InMemoryDailyKeyStore;

import java.time.LocalDate;

/**
 * Where the daily keys of {@link IpAnonymizer#dailyRotating(DailyKeyStore)} live. Every application instance that
 * writes to one database must see the same key for the same day, so for several instances the keys are shared
 * through the database ({@code io.listenlog.jdbc.JdbcDailyKeyStore}); {@link #inMemory()} suits a single instance.
 *
 * <p>Implementations must be thread-safe.
 */
public interface DailyKeyStore {

    /**
     * The key of a UTC day, created (at least 32 random bytes from a {@code SecureRandom}) by whichever caller asks
     * first; every caller gets the same bytes for the same day.
     */
    byte[] keyFor(LocalDate day);

    /** Destroys the keys of every day before {@code oldestKept}, so hashes of those days can never be recomputed. */
    void destroyBefore(LocalDate oldestKept);

    /**
     * Keys in this process's memory only: lost on restart (so unique listeners of the restart day are counted
     * twice) and not shared between instances.
     */
    static DailyKeyStore inMemory() {
        return new InMemoryDailyKeyStore();
    }
}
