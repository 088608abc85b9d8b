package io.listenlog.core;

import org.jspecify.annotations.Nullable;

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
     *
     * @return the key, or {@code null} when the day lies before the store's destroyed horizon (the latest
     *         {@code oldestKept} ever passed to {@link #destroyBefore}): a destroyed key is never created again, not
     *         even by an instance whose clock or work lags behind
     * @throws ListenStoreException a {@link ListenStoreException#transientFailure transient failure} when the store
     *                              cannot be reached; the logger then retries, it never rejects the listens
     */
    byte @Nullable [] keyFor(LocalDate day);

    /**
     * Destroys the keys of every day before {@code oldestKept} and remembers {@code oldestKept} as the horizon, so
     * hashes of those days can never be recomputed. A scheduled job calls it (for example {@code ListenRetention},
     * given the key store); anonymizing never does.
     */
    void destroyBefore(LocalDate oldestKept);

    /**
     * Keys in this process's memory only: lost on restart (so unique listeners of the restart day are counted
     * twice) and not shared between instances. Like every store, its old keys go when a scheduled job calls
     * {@link #destroyBefore}.
     */
    static DailyKeyStore inMemory() {
        return new InMemoryDailyKeyStore();
    }
}
