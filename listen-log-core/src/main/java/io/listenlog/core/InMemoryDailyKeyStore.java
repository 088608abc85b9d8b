package io.listenlog.core;

import org.jspecify.annotations.Nullable;

import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

final class InMemoryDailyKeyStore implements DailyKeyStore {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final ConcurrentMap<LocalDate, byte[]> keys = new ConcurrentHashMap<>();
    private LocalDate destroyedBefore = LocalDate.MIN;

    @Override
    public synchronized byte @Nullable [] keyFor(LocalDate day) {
        if (day.isBefore(destroyedBefore)) {
            return null;
        }
        return keys.computeIfAbsent(day, d -> newKey()).clone();
    }

    /** 32 random bytes, the size of an HMAC-SHA256 block's worth of entropy. */
    static byte[] newKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return key;
    }

    @Override
    public synchronized void destroyBefore(LocalDate oldestKept) {
        if (oldestKept.isAfter(destroyedBefore)) {
            destroyedBefore = oldestKept;
        }
        keys.keySet().removeIf(day -> day.isBefore(destroyedBefore));
    }
}
